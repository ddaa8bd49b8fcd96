namespace MeshFlow.Governance.Guardian;

/// <summary>Finds PEM private key blocks, from the BEGIN line through the END line.</summary>
/// <remarks>
/// A block whose body has fewer than 40 base64 characters (<c>-----BEGIN PRIVATE KEY-----\n...\n-----END ...</c>) is
/// a placeholder. A block without its END line runs to the end of its base64 lines (a truncated key still leaks).
/// </remarks>
internal static class PrivateKeyBlocks
{
    private const int MinBody = 40;

    public static void Find(string text, ref LeakList matches)
    {
        if (!text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            return;
        }

        var covered = 0;
        var endMarker = -1;
        foreach (var begin in SecretPatterns.PrivateKeyBegin().EnumerateMatches(text))
        {
            if (begin.Index < covered)
            {
                continue;
            }

            // The END line is searched once per block it closes, not once per BEGIN line.
            var bodyStart = begin.Index + begin.Length;
            if (endMarker != int.MaxValue && endMarker < bodyStart)
            {
                endMarker = text.IndexOf("-----END", bodyStart, StringComparison.Ordinal);
                endMarker = endMarker < 0 ? int.MaxValue : endMarker;
            }

            int bodyEnd, end;
            if (endMarker != int.MaxValue)
            {
                bodyEnd = endMarker;
                var close = text.IndexOf("-----", endMarker + 8, StringComparison.Ordinal);
                end = close < 0 ? text.Length : close + 5;
            }
            else
            {
                bodyEnd = EndOfBase64Lines(text, bodyStart);
                end = bodyEnd;
            }

            if (Base64Characters(text.AsSpan(bodyStart, bodyEnd - bodyStart)) >= MinBody)
            {
                matches.Add(begin.Index, end - begin.Index, LeakKind.Secret, LeakLabels.PrivateKey);
                covered = end;
            }
        }
    }

    private static int Base64Characters(ReadOnlySpan<char> body)
    {
        var count = 0;
        foreach (var c in body)
        {
            count += char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' ? 1 : 0;
        }

        return count;
    }

    // Lines of base64 (and PEM headers such as "Proc-Type: 4,ENCRYPTED") after the BEGIN line.
    private static int EndOfBase64Lines(string text, int start)
    {
        var position = start;
        while (position < text.Length)
        {
            var lineEnd = text.IndexOf('\n', position);
            var line = text.AsSpan(position, (lineEnd < 0 ? text.Length : lineEnd) - position).TrimEnd('\r');
            var base64 = line.Length > 0 && Base64Characters(line) == line.Length;
            if (!base64 && !line.IsEmpty && !line.Contains(':'))
            {
                return position;
            }

            if (lineEnd < 0)
            {
                return text.Length;
            }

            position = lineEnd + 1;
        }

        return position;
    }
}
