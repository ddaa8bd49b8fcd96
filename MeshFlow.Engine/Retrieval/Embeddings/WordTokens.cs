using System.Globalization;
using System.Text;

namespace MeshFlow.Retrieval.Embeddings;

/// <summary>
/// The terms of a text for TF-IDF: runs of Unicode letters and digits, lowercased, English function words dropped,
/// and plurals folded by the S-stemmer (Harman, 1991): <c>policies</c> to <c>policy</c>, <c>invoices</c> to
/// <c>invoice</c>, <c>cats</c> to <c>cat</c>, leaving <c>status</c> and <c>glass</c> alone.
/// </summary>
internal static class WordTokens
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "do", "does", "for", "from", "had", "has", "have",
        "he", "her", "his", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our",
        "she", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "was", "we",
        "were", "what", "when", "which", "who", "will", "with", "you", "your",
    };

    public static IEnumerable<string> Terms(string text)
    {
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                word.Append(Rune.ToLowerInvariant(rune).ToString());
                continue;
            }

            // Marks inside a word (accents written as combining characters) belong to it.
            if (word.Length > 0 && Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                word.Append(rune.ToString());
                continue;
            }

            if (Term(word) is { } term)
            {
                yield return term;
            }
        }

        if (Term(word) is { } last)
        {
            yield return last;
        }
    }

    private static string? Term(StringBuilder word)
    {
        if (word.Length == 0)
        {
            return null;
        }

        var text = word.ToString();
        word.Clear();
        return StopWords.Contains(text) ? null : Stem(text);
    }

    private static string Stem(string word)
    {
        if (word.Length <= 3)
        {
            return word;
        }

        if (word.EndsWith("ies", StringComparison.Ordinal) && !word.EndsWith("eies", StringComparison.Ordinal) && !word.EndsWith("aies", StringComparison.Ordinal))
        {
            return word[..^3] + "y";
        }

        if (word.EndsWith("es", StringComparison.Ordinal) && !word.EndsWith("aes", StringComparison.Ordinal)
            && !word.EndsWith("ees", StringComparison.Ordinal) && !word.EndsWith("oes", StringComparison.Ordinal))
        {
            return word[..^1];
        }

        return word.EndsWith('s') && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("ss", StringComparison.Ordinal)
            ? word[..^1]
            : word;
    }
}
