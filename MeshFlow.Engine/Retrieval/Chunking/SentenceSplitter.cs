using System.Collections.Frozen;

namespace MeshFlow.Retrieval.Chunking;

/// <summary>
/// Splits English prose into sentences. A sentence ends at '.', '!', '?' or an ellipsis (with any closing quotes or
/// brackets after it) that is followed by whitespace and then not by a lowercase letter, and at every paragraph break
/// (a blank line). A period does not end a sentence after a known abbreviation (Dr., e.g., etc. before a lowercase
/// word), after a single capital (the initials of J. R. R. Tolkien), or inside a number, URL or e-mail address
/// (3.14, $4.50, example.com/a.b, jane.doe@example.org), since no whitespace follows it there.
/// </summary>
public static class SentenceSplitter
{
    // Abbreviations that precede what they qualify, so a capital after them never starts a new sentence.
    private static readonly FrozenSet<string> Prefixes = FrozenSet.ToFrozenSet(
        ["dr", "mr", "mrs", "ms", "prof", "st", "mt", "rev", "gen", "col", "capt", "lt", "sgt", "hon", "e.g", "i.e", "vs",
         "cf", "fig", "figs", "approx", "ca", "dept", "ref", "vol", "p", "pp", "ch", "sec", "art", "eq"],
        StringComparer.OrdinalIgnoreCase);

    // Abbreviations that precede a number ("No. 5", "Jan. 12"); before anything else they may end a sentence.
    private static readonly FrozenSet<string> NumberPrefixes = FrozenSet.ToFrozenSet(
        ["no", "nos", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The sentences of <paramref name="text"/> as character ranges, trimmed of whitespace, in order.</summary>
    public static IReadOnlyList<Range> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<Range>();
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n' && IsParagraphBreak(text, i, out var afterBreak))
            {
                Add(sentences, text, start, i);
                start = i = afterBreak;
                continue;
            }

            if (c is not ('.' or '!' or '?' or '…'))
            {
                i++;
                continue;
            }

            // The run of terminators ("?!", "...") and the closing quotes and brackets after it belong to the sentence.
            var end = i;
            while (end < text.Length && text[end] is '.' or '!' or '?' or '…')
            {
                end++;
            }

            var terminators = text.AsSpan(i, end - i);
            while (end < text.Length && IsCloser(text[end]))
            {
                end++;
            }

            if (IsBoundary(text, i, terminators, end))
            {
                Add(sentences, text, start, end);
                start = end;
            }

            i = end;
        }

        Add(sentences, text, start, text.Length);
        return sentences;
    }

    /// <summary>The sentences of <paramref name="text"/> as strings.</summary>
    public static IReadOnlyList<string> SplitToStrings(string text) => [.. Split(text).Select(range => text[range])];

    private static bool IsBoundary(string text, int terminatorStart, ReadOnlySpan<char> terminators, int end)
    {
        // Inside "3.14", "example.com/a" or "jane.doe@example.org" no whitespace follows the mark.
        if (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            return false;
        }

        var next = NextNonWhiteSpace(text, end);
        if (next < 0)
        {
            return true;
        }

        var nextChar = text[next];
        if (char.IsLower(nextChar))
        {
            return false;
        }

        if (terminators is not ".")
        {
            return true;
        }

        var word = WordBefore(text, terminatorStart);
        if (word.Length == 0)
        {
            return true;
        }

        // Initials: "J. R. R. Tolkien".
        if (word.Length == 1 && char.IsUpper(word[0]))
        {
            return false;
        }

        // Abbreviations that may end a sentence (etc., Inc., U.S.) end one here: a lowercase word after them has
        // already been ruled out above.
        var key = word.ToString();
        return !Prefixes.Contains(key) && !(NumberPrefixes.Contains(key) && char.IsDigit(nextChar));
    }

    // The word the period ends: letters and inner periods back to the previous space or opening bracket or quote.
    private static ReadOnlySpan<char> WordBefore(string text, int period)
    {
        var start = period;
        while (start > 0 && (char.IsLetter(text[start - 1]) || text[start - 1] == '.'))
        {
            start--;
        }

        if (start > 0 && !char.IsWhiteSpace(text[start - 1]) && text[start - 1] is not ('(' or '[' or '"' or '\'' or '“' or '‘'))
        {
            return [];
        }

        return text.AsSpan(start, period - start);
    }

    private static bool IsCloser(char c) => c is '"' or '\'' or ')' or ']' or '}' or '”' or '’' or '»';

    private static int NextNonWhiteSpace(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    // A newline followed, after blanks, by another newline.
    private static bool IsParagraphBreak(string text, int newline, out int after)
    {
        var i = newline + 1;
        while (i < text.Length && text[i] is ' ' or '\t' or '\r')
        {
            i++;
        }

        after = i;
        if (i >= text.Length || text[i] != '\n')
        {
            return false;
        }

        while (after < text.Length && char.IsWhiteSpace(text[after]))
        {
            after++;
        }

        return true;
    }

    private static void Add(List<Range> sentences, string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (end > start)
        {
            sentences.Add(start..end);
        }
    }
}
