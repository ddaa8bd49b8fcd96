namespace MeshFlow.Governance.Guardian;

/// <summary>The last normalization step: whitespace runs, hyphenated line breaks and letter-spaced words.</summary>
internal static class WhitespaceCompaction
{
    /// <summary>
    /// Collapses whitespace, joins hyphenated line breaks and letter-spaced words, in place, keeping each character's
    /// original offset beside it; returns the new length.
    /// </summary>
    public static int Compact(Span<char> chars, Span<int> starts)
    {
        var length = chars.Length;
        var write = 0;
        var joinUntil = -1;
        var previous = ' ';
        for (var read = 0; read < length;)
        {
            var c = chars[read];
            if (c is ' ' or '\n')
            {
                var end = read;
                var lineBreak = false;
                while (end < length && chars[end] is ' ' or '\n')
                {
                    lineBreak |= chars[end] == '\n';
                    end++;

                    // A comment marker that continues a comment block ("# ", "/// ") is part of the line break.
                    if (lineBreak && CommentMarker(chars[end..]) is > 0 and var marker)
                    {
                        end += marker;
                    }
                }

                var start = starts[read];
                var single = end - read == 1;
                previous = chars[end - 1];
                if (lineBreak && write >= 2 && chars[write - 1] == '-' && char.IsLetter(chars[write - 2])
                    && end < length && char.IsLower(chars[end]))
                {
                    write--;
                }
                else if (!(single && read < joinUntil) && write > 0)
                {
                    chars[write] = lineBreak ? '\n' : ' ';
                    starts[write] = start;
                    write++;
                }

                read = end;
                continue;
            }

            if (read >= joinUntil && char.IsLetter(c) && !char.IsLetterOrDigit(previous))
            {
                joinUntil = LetterSpacedRunEnd(chars, read);
            }

            previous = c;
            chars[write] = c;
            starts[write] = starts[read];
            write++;
            read++;
        }

        return write;
    }

    // The length of a comment marker and the space after it ("# ", "// ", "/// ", "* ", "> ", "-- ", "; "), or 0.
    private static int CommentMarker(ReadOnlySpan<char> rest)
    {
        var marker = rest.StartsWith("///") ? 3
            : rest.StartsWith("//") || rest.StartsWith("--") ? 2
            : rest.Length > 0 && rest[0] is '#' or '*' or '>' or ';' ? 1
            : 0;
        return marker > 0 && marker < rest.Length && rest[marker] == ' ' ? marker + 1 : 0;
    }

    // The end of a run of four or more single letters one to three spaces apart that starts at start, or -1.
    private static int LetterSpacedRunEnd(ReadOnlySpan<char> chars, int start)
    {
        var letters = 0;
        var position = start;
        var end = -1;
        while (position < chars.Length && char.IsLetter(chars[position])
               && (position + 1 == chars.Length || !char.IsLetter(chars[position + 1])))
        {
            letters++;
            end = position + 1;
            var gap = 0;
            while (end + gap < chars.Length && chars[end + gap] == ' ' && gap < 4)
            {
                gap++;
            }

            if (gap is 0 or > 3)
            {
                break;
            }

            position = end + gap;
        }

        return letters >= 4 ? end : -1;
    }
}
