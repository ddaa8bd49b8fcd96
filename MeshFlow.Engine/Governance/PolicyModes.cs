namespace MeshFlow.Governance;

/// <summary>The named policy modes.</summary>
public static class PolicyModes
{
    /// <summary>Generous limits for local development.</summary>
    public const string Dev = "dev";

    /// <summary>The default: 200 steps, 1M tokens, $10, two minutes a step.</summary>
    public const string Standard = "standard";

    /// <summary>Tight limits: 50 steps, 200k tokens, $2, one minute a step.</summary>
    public const string Strict = "strict";

    /// <summary>Strict limits; later governance adds PHI scrubbing to this mode.</summary>
    public const string Hipaa = "hipaa";

    /// <summary>Every mode, in the order above.</summary>
    public static IReadOnlyList<string> All { get; } = [Dev, Standard, Strict, Hipaa];
}
