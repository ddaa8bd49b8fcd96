namespace MeshFlow.Governance.Guardian;

/// <summary>The fingerprints a <see cref="BehaviourMonitor"/> keeps of an output instead of its text.</summary>
internal static class BehaviourText
{
    /// <summary>Only the first 64 Ki characters of an output are compared for similarity; a stalled loop shows in its head.</summary>
    public const int MaxComparedChars = 64 * 1024;

    /// <summary>FNV-1a over the whole text: with 64 bits, two different outputs of one agent colliding is negligible.</summary>
    public static ulong Hash(ReadOnlySpan<char> text)
    {
        var hash = WordShingles.FnvOffset;
        foreach (var c in text)
        {
            hash = (hash ^ c) * WordShingles.FnvPrime;
        }

        return hash;
    }

    /// <summary>
    /// The text's adjacent word pairs as <see cref="WordShingles"/> (or its one word): pairs keep word order without
    /// the coarseness of longer shingles on short outputs.
    /// </summary>
    public static ulong[] WordPairs(ReadOnlySpan<char> text) =>
        WordShingles.Of(text.Length > MaxComparedChars ? text[..MaxComparedChars] : text, 2, shortTextAsOne: true);
}
