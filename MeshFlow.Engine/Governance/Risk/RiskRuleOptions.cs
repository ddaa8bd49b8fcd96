namespace MeshFlow.Governance.Risk;

/// <summary>What the argument rules of <see cref="RiskRules"/> compare against.</summary>
public sealed record RiskRuleOptions
{
    /// <summary>No scratch folder and no allowed hosts: every write path and every host counts as outside.</summary>
    public static RiskRuleOptions Default { get; } = new();

    /// <summary>
    /// The folder a run may write to freely. Relative paths are resolved against it and <c>..</c> is normalized
    /// before the comparison. Null means the run has none, so every path a writing tool names is outside.
    /// </summary>
    public string? ScratchFolder { get; init; }

    /// <summary>
    /// The hosts a tool may reach. A host matches an entry exactly or as a subdomain of it (<c>api.example.com</c>
    /// matches <c>example.com</c>; <c>evil-example.com</c> does not); a leading <c>*.</c> or <c>.</c> on an entry is
    /// ignored. Empty means every host is unlisted.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
}
