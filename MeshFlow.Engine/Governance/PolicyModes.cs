namespace MeshFlow.Governance;

/// <summary>The named policy modes; every value of each is listed in <see cref="PolicyPresets"/>.</summary>
public static class PolicyModes
{
    /// <summary>Generous limits for local development: 1000 steps, ten minutes a step, nothing else.</summary>
    public const string Dev = "dev";

    /// <summary>
    /// The default: 200 steps, 1M tokens, $10, two minutes a step, 30 minutes a run, 100 tool calls; no human
    /// escalation.
    /// </summary>
    public const string Standard = "standard";

    /// <summary>
    /// Tight limits: 50 steps, 200k tokens, $2, one minute a step, ten minutes a run, 25 tool calls; high-risk
    /// steps and uncertainty above 0.8 escalate to a human; a guardian reviews steps.
    /// </summary>
    public const string Strict = "strict";

    /// <summary>
    /// Strict limits, and more: medium-risk steps and uncertainty above 0.7 escalate, PHI is scrubbed, the guardian
    /// treats the run input as untrusted, and the run is audited for collusion, a finding escalating to a human.
    /// </summary>
    public const string Hipaa = "hipaa";

    /// <summary>Every mode, in the order above.</summary>
    public static IReadOnlyList<string> All { get; } = [Dev, Standard, Strict, Hipaa];
}
