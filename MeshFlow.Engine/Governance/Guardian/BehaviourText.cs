namespace MeshFlow.Governance.Guardian;

/// <summary>The fingerprints a <see cref="BehaviourMonitor"/> keeps of an output instead of its text.</summary>
internal static class BehaviourText
{
    /// <summary>Only the first 64 Ki characters of an output are compared for similarity; a stalled loop shows in its head.</summary>
    public const int MaxComparedChars = 64 * 1024;

    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    /// <summary>FNV-1a over the whole text: with 64 bits, two different outputs of one agent colliding is negligible.</summary>
    public static ulong Hash(ReadOnlySpan<char> text)
    {
        var hash = FnvOffset;
        foreach (var c in text)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        return hash;
    }

    /// <summary>
    /// The sorted, distinct hashes of the text's adjacent word pairs (words: runs of letters and digits, case folded),
    /// or of its one word. Word pairs keep order without the coarseness of longer shingles on short outputs.
    /// </summary>
    public static ulong[] WordPairs(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxComparedChars)
        {
            text = text[..MaxComparedChars];
        }

        var pairs = new List<ulong>();
        ulong previous = 0, word = FnvOffset;
        bool inWord = false, hasPrevious = false;
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

            if (hasPrevious)
            {
                pairs.Add((previous * FnvPrime) ^ word);
            }

            previous = word;
            hasPrevious = true;
            word = FnvOffset;
            inWord = false;
        }

        if (pairs.Count == 0 && hasPrevious)
        {
            pairs.Add(previous);
        }

        pairs.Sort();
        var distinct = 0;
        for (var i = 0; i < pairs.Count; i++)
        {
            if (i == 0 || pairs[i] != pairs[distinct - 1])
            {
                pairs[distinct++] = pairs[i];
            }
        }

        return [.. pairs.GetRange(0, distinct)];
    }

    /// <summary>The Jaccard index of two sorted, distinct sets; two empty sets (outputs without words) are alike.</summary>
    public static double Jaccard(ulong[] a, ulong[] b)
    {
        if (a.Length == 0 && b.Length == 0)
        {
            return 1;
        }

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

        return (double)common / (a.Length + b.Length - common);
    }
}
