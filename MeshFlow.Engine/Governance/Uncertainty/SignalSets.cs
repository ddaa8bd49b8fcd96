namespace MeshFlow.Governance.Uncertainty;

/// <summary>Every combination of signals, built once, so an estimate never allocates its signal list.</summary>
internal static class SignalSets
{
    public const int Hedging = 1;
    public const int Refusal = 2;
    public const int Contradiction = 4;
    public const int Empty = 8;
    public const int LowConfidenceTokens = 16;

    private static readonly string[][] s_sets = Build();

    public static IReadOnlyList<string> Of(int flags) => s_sets[flags];

    public static int Count(int flags) => int.PopCount(flags);

    private static string[][] Build()
    {
        string[] names =
        [
            UncertaintySignals.Hedging, UncertaintySignals.Refusal, UncertaintySignals.Contradiction,
            UncertaintySignals.Empty, UncertaintySignals.LowConfidenceTokens,
        ];
        var sets = new string[1 << names.Length][];
        for (var flags = 0; flags < sets.Length; flags++)
        {
            sets[flags] = [.. names.Where((_, bit) => (flags & (1 << bit)) != 0)];
        }

        return sets;
    }
}
