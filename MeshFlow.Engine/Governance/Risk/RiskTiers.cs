namespace MeshFlow.Governance.Risk;

/// <summary>The risk tiers' wire names (<c>low</c>, <c>medium</c>, <c>high</c>, <c>critical</c>), written and read in one place.</summary>
public static class RiskTiers
{
    private static readonly string[] NameList = ["low", "medium", "high", "critical"];

    /// <summary>The wire names, in tier order.</summary>
    public static IReadOnlyList<string> Names => NameList;

    /// <summary>The wire name of a tier.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a tier.</exception>
    public static string Name(RiskTier tier) =>
        (uint)tier < (uint)NameList.Length ? NameList[(int)tier] : throw new ArgumentOutOfRangeException(nameof(tier), tier, "not a risk tier");

    /// <summary>The tier a wire name names, exactly as written (definitions and policies are case-sensitive throughout).</summary>
    public static bool TryParse(string? name, out RiskTier tier)
    {
        var index = name is null ? -1 : Array.IndexOf(NameList, name);
        tier = index < 0 ? default : (RiskTier)index;
        return index >= 0;
    }
}
