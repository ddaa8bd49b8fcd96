namespace MeshFlow.Governance.Guardian;

/// <summary>How the normalized text is read in words, lines and sentences.</summary>
internal static class TextReading
{
    private const int WrappedLine = 40;

    /// <summary>
    /// True when the line before <paramref name="lineBreak"/> is prose wrapped at a fixed width (PDF text, comments):
    /// 40 characters or more, ending in a word or a comma. A shorter line is a heading, a list item, a cell or a label.
    /// </summary>
    public static bool IsWrapped(ReadOnlySpan<char> text, int lineBreak)
    {
        var from = lineBreak - WrappedLine;
        return from >= 0 && !text[from..lineBreak].Contains('\n')
            && (char.IsLetterOrDigit(text[lineBreak - 1]) || text[lineBreak - 1] == ',');
    }

    /// <summary>The word (letters, digits, apostrophes, inner dots as in "e.g") that ends at <paramref name="end"/>.</summary>
    public static ReadOnlySpan<char> WordBefore(ReadOnlySpan<char> text, int end, out int start)
    {
        start = end;
        while (start > 0 && end - start < 32)
        {
            var c = text[start - 1];
            var inner = c == '.' && start >= 2 && char.IsLetter(text[start - 2]) && start < end;
            if (!IsWordChar(c) && !inner)
            {
                break;
            }

            start--;
        }

        return text[start..end].TrimEnd('.');
    }

    /// <summary>True for the characters words are read of.</summary>
    public static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '\'' or '_';

    /// <summary>The position before the spaces and line breaks that end at <paramref name="position"/>.</summary>
    public static int SkipSpacesBack(ReadOnlySpan<char> text, int position)
    {
        while (position > 0 && text[position - 1] is ' ' or '\n')
        {
            position--;
        }

        return position;
    }

    /// <summary>
    /// True when a sentence ends at <paramref name="index"/>: at a full stop, question or exclamation mark before a
    /// space, a quote or a tag, or at a line break after a line that is not wrapped prose.
    /// </summary>
    public static bool IsSentenceEnd(ReadOnlySpan<char> text, int index) => text[index] switch
    {
        '\n' => !IsWrapped(text, index),
        '.' or '!' or '?' => index + 1 == text.Length || text[index + 1] is ' ' or '\n' or '"' or '\'' or '<' or ')',
        '。' or '！' or '？' => true,
        _ => false,
    };
}
