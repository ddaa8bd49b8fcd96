namespace MeshFlow.Governance;

/// <summary>
/// Texts as sets of word shingles (the hashes of runs of n adjacent words; words: runs of letters and digits, case
/// folded), kept sorted and distinct, and how much two such sets share: what the content checks compare outputs by
/// without keeping their text.
/// </summary>
internal static class WordShingles
{
    /// <summary>The FNV-1a offset basis (64 bits).</summary>
    public const ulong FnvOffset = 14695981039346656037;

    /// <summary>The FNV-1a prime (64 bits).</summary>
    public const ulong FnvPrime = 1099511628211;

    /// <summary>
    /// The sorted, distinct hashes of the text's runs of <paramref name="n"/> adjacent words. A text of fewer words
    /// has none, unless <paramref name="shortTextAsOne"/> asks for the hash of the words it has.
    /// </summary>
    public static ulong[] Of(ReadOnlySpan<char> text, int n, bool shortTextAsOne = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var shingles = new List<ulong>();
        Span<ulong> recent = stackalloc ulong[n];
        ulong word = FnvOffset;
        var words = 0;
        var inWord = false;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                word = (word ^ char.ToLowerInvariant(text[i])) * FnvPrime;
                inWord = true;
                continue;
            }

            if (!inWord)
            {
                continue;
            }

            recent[..^1].CopyTo(recent[1..]);
            recent[0] = word;
            if (++words >= n)
            {
                shingles.Add(Combine(recent, n));
            }

            word = FnvOffset;
            inWord = false;
        }

        if (shingles.Count == 0 && words > 0 && shortTextAsOne)
        {
            shingles.Add(Combine(recent, words));
        }

        shingles.Sort();
        var distinct = 0;
        for (var i = 0; i < shingles.Count; i++)
        {
            if (distinct == 0 || shingles[i] != shingles[distinct - 1])
            {
                shingles[distinct++] = shingles[i];
            }
        }

        return [.. shingles.GetRange(0, distinct)];
    }

    /// <summary>How many members two sorted, distinct sets share.</summary>
    public static int Common(ulong[] a, ulong[] b)
    {
        int i = 0, j = 0, common = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                common++;
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return common;
    }

    /// <summary>The Jaccard index of two sorted, distinct sets; two empty sets (texts without words) are alike.</summary>
    public static double Jaccard(ulong[] a, ulong[] b)
    {
        if (a.Length == 0 && b.Length == 0)
        {
            return 1;
        }

        var common = Common(a, b);
        return (double)common / (a.Length + b.Length - common);
    }

    // The oldest of the last count words first: recent holds them newest first.
    private static ulong Combine(ReadOnlySpan<ulong> recent, int count)
    {
        var hash = recent[count - 1];
        for (var k = count - 2; k >= 0; k--)
        {
            hash = (hash * FnvPrime) ^ recent[k];
        }

        return hash;
    }
}
