namespace MeshFlow.Governance.Guardian;

/// <summary>
/// Finds connection strings that carry a secret: <c>key=value;</c> strings with <c>Password=</c>, <c>Pwd=</c>,
/// <c>AccountKey=</c> or <c>SharedAccessKey=</c> (the whole string is the match), and URLs with a password in their
/// user info (<c>postgres://app:s3cret@db/app</c>, <c>redis://:s3cret@cache:6379</c>; the whole URL).
/// </summary>
/// <remarks>
/// A string needs two <c>key=value</c> pairs to be a connection string; a bare <c>AccountKey=...</c> is an Azure key,
/// a bare <c>password=...</c> is not reported. A password that is a placeholder (<c>password</c>, <c>{password}</c>,
/// <c>***</c>) is not a secret.
/// </remarks>
internal static class ConnectionStrings
{
    // Keys are short words, maybe with spaces ("User Id", "Data Source").
    private const int MaxKey = 40;

    public static void Find(string text, ref LeakList matches)
    {
        if (text.Contains('=') && (text.Contains("pw", StringComparison.OrdinalIgnoreCase) || text.Contains("key", StringComparison.OrdinalIgnoreCase)
                                   || text.Contains("password", StringComparison.OrdinalIgnoreCase)))
        {
            var end = 0;
            foreach (var key in SecretPatterns.ConnectionStringKey().EnumerateMatches(text))
            {
                if (key.Index >= end && TryExpand(text, key.Index, key.Index + key.Length, out var start, out end))
                {
                    matches.Add(start, end - start, LeakKind.Secret, LeakLabels.ConnectionString);
                }
            }
        }

        if (text.Contains("://", StringComparison.Ordinal) && text.Contains('@'))
        {
            var covered = 0;
            foreach (var url in SecretPatterns.UrlCredentials().EnumerateMatches(text))
            {
                if (url.Index < covered)
                {
                    continue;
                }

                var userInfo = text.AsSpan(url.Index, url.Length);
                var afterScheme = userInfo.IndexOf("://", StringComparison.Ordinal) + 3;
                var at = userInfo.LastIndexOf('@');
                var colon = userInfo[afterScheme..at].IndexOf(':');
                var password = userInfo[(afterScheme + colon + 1)..at];
                if (!SecretValues.IsPlaceholderPassword(password))
                {
                    covered = UrlSpans.End(text, url.Index);
                    matches.Add(url.Index, covered - url.Index, LeakKind.Secret, LeakLabels.ConnectionString);
                }
            }
        }
    }

    private static bool TryExpand(string text, int keyStart, int valueStart, out int start, out int end)
    {
        var valueEnd = ValueEnd(text, valueStart);
        end = valueEnd;
        start = keyStart;
        if (SecretValues.IsPlaceholderPassword(text.AsSpan(valueStart, valueEnd - valueStart).Trim()))
        {
            return false;
        }

        // Pairs before the secret: "Server=db;Database=app;".
        var pairs = 1;
        while (start >= 2 && (text[start - 1] == ';' || (text[start - 1] == ' ' && text[start - 2] == ';')))
        {
            var separator = text[start - 1] == ';' ? start - 1 : start - 2;
            var pairStart = PairStart(text, separator);
            if (pairStart < 0)
            {
                break;
            }

            start = pairStart;
            pairs++;
        }

        // Pairs after it: ";User Id=sa;Encrypt=true".
        while (end < text.Length && text[end] == ';')
        {
            var next = end + 1;
            while (next < text.Length && text[next] == ' ')
            {
                next++;
            }

            var equals = KeyEnd(text, next);
            if (equals < 0)
            {
                end++;
                break;
            }

            end = ValueEnd(text, equals + 1);
            pairs++;
        }

        return pairs >= 2;
    }

    // The start of the "key=value" pair that ends at separator, or -1 when the text there is not one.
    private static int PairStart(string text, int separator)
    {
        var position = separator;
        var equals = -1;
        while (position > 0 && separator - position < MaxKey * 4)
        {
            var c = text[position - 1];
            if (c is ';' or '"' or '\'' or '`' or '\n' or '\r' or '<' or '>' or '(' or ')' or '{' or '}' or ',')
            {
                break;
            }

            if (c == '=' && equals < 0)
            {
                equals = position - 1;
            }

            position--;
        }

        if (equals < 0 || equals == position)
        {
            return -1;
        }

        var key = text.AsSpan(position, equals - position).Trim();
        if (key.IsEmpty || key.Length > MaxKey)
        {
            return -1;
        }

        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is ' ' or '_' or '.' or '-'))
            {
                return -1;
            }
        }

        var raw = text.AsSpan(position, equals - position);
        return position + (raw.Length - raw.TrimStart().Length);
    }

    // The '=' of a "key=" that starts at start, or -1.
    private static int KeyEnd(string text, int start)
    {
        for (var i = start; i < text.Length && i - start <= MaxKey; i++)
        {
            var c = text[i];
            if (c == '=')
            {
                return i > start ? i : -1;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is ' ' or '_' or '.' or '-'))
            {
                return -1;
            }
        }

        return -1;
    }

    private static int ValueEnd(string text, int start)
    {
        var end = start;
        while (end < text.Length && text[end] is not (';' or '"' or '\'' or '`' or '\n' or '\r' or '<' or ' ' or '\t'))
        {
            end++;
        }

        return end;
    }
}
