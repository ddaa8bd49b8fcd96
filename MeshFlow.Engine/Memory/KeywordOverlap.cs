using System.Collections.Frozen;
using System.Text;

namespace MeshFlow.Memory;

/// <summary>
/// How much two texts share in content words: what memory ranks and merges by when no embedding generator is
/// configured. Words are lower-cased, stop words dropped and a plural's <c>s</c> taken off, so "contracts" meets
/// "contract" and "the" meets nothing.
/// </summary>
public static class KeywordOverlap
{
    private static readonly FrozenSet<string> StopWords = FrozenSet.Create(StringComparer.Ordinal,
    [
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at", "be",
        "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does",
        "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her",
        "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
        "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or",
        "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than",
        "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
        "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
        "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "also",
        "may", "might", "must", "shall", "s", "t", "don", "let", "us", "via", "per", "get", "got", "use", "used",
    ]);

    /// <summary>The content words of <paramref name="text"/>, each once.</summary>
    public static HashSet<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new HashSet<string>(StringComparer.Ordinal);
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                Add(words, word);
            }
        }

        if (word.Length > 0)
        {
            Add(words, word);
        }

        return words;
    }

    /// <summary>
    /// How relevant a text is to a query: the shared content words over the geometric mean of both counts (the cosine
    /// of their word sets), from 0 (nothing shared) to 1 (the same words).
    /// </summary>
    public static double Relevance(IReadOnlySet<string> query, IReadOnlySet<string> text)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(text);
        if (query.Count == 0 || text.Count == 0)
        {
            return 0;
        }

        return Shared(query, text) / Math.Sqrt((double)query.Count * text.Count);
    }

    /// <summary>How alike two texts are: the shared content words over all their content words (Jaccard), 0 to 1.</summary>
    public static double Similarity(IReadOnlySet<string> first, IReadOnlySet<string> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count == 0 && second.Count == 0)
        {
            return 1;
        }

        var shared = Shared(first, second);
        return (double)shared / (first.Count + second.Count - shared);
    }

    private static int Shared(IReadOnlySet<string> first, IReadOnlySet<string> second)
    {
        var (small, large) = first.Count <= second.Count ? (first, second) : (second, first);
        var shared = 0;
        foreach (var word in small)
        {
            if (large.Contains(word))
            {
                shared++;
            }
        }

        return shared;
    }

    private static void Add(HashSet<string> words, StringBuilder word)
    {
        var text = word.ToString();
        word.Clear();
        if (StopWords.Contains(text))
        {
            return;
        }

        // A plural's s (contracts, invoices) but not a word's own (status, class, analysis).
        if (text.Length > 3 && text[^1] == 's' && text[^2] is not ('s' or 'u' or 'i'))
        {
            text = text[..^1];
        }

        words.Add(text);
    }
}
