namespace MeshFlow.Governance.Risk;

/// <summary>The stable ids of the rules that set a <see cref="RiskAssessment"/>; ledgers and dashboards key on them.</summary>
public static class RiskRuleIds
{
    /// <summary>The tool's own declaration (<see cref="ToolRisk.PropertyKey"/>) set the tier.</summary>
    public const string Declared = "declared";

    /// <summary>The policy's per-tool override set the tier, whatever the tool declares.</summary>
    public const string PolicyOverride = "policy_override";

    /// <summary>The tool declares no risk and the policy names none, so it is <see cref="RiskTier.High"/>.</summary>
    public const string UndeclaredTool = "undeclared_tool";

    /// <summary>A model call, at the tier its agent declares.</summary>
    public const string ModelCall = "model_call";

    /// <summary>An argument holds a shell or SQL command that deletes or destroys.</summary>
    public const string ShellDestructive = "shell_destructive";

    /// <summary>A writing tool names a path outside the run's scratch folder.</summary>
    public const string WriteOutsideScratch = "write_outside_scratch";

    /// <summary>An argument names a URL or host that is not on the allow list.</summary>
    public const string HostNotAllowed = "host_not_allowed";

    /// <summary>An argument carries a credential: a private key, an API key, a token or a password.</summary>
    public const string CredentialsInArguments = "credentials_in_arguments";

    /// <summary>An argument carries an amount of money.</summary>
    public const string MoneyInArguments = "money_in_arguments";

    /// <summary>The arguments nest deeper, or hold more values, than the rules read, or hold objects they cannot read.</summary>
    public const string ArgumentsUnscanned = "arguments_unscanned";
}
