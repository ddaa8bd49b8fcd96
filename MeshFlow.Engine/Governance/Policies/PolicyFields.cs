using System.Diagnostics.CodeAnalysis;
using static MeshFlow.Governance.PolicyFieldKinds;

namespace MeshFlow.Governance;

/// <summary>
/// Every field of a policy, once: the workflow definition's <c>policy:</c>, a run request's <c>policy</c> and a
/// tenant's policy are all read through this table, and a tenant's ceiling applied field by field from it. A new
/// field is added here (and to <see cref="Policy"/>), nowhere else.
/// </summary>
public static class PolicyFields
{
    /// <summary>The field that names the mode the others start from; it is not a field of the table.</summary>
    public const string Mode = "mode";

    /// <summary>The fields, in the order messages and documentation list them.</summary>
    public static IReadOnlyList<PolicyField> All { get; } =
    [
        Count("max_steps", "Most steps a run may take, loop iterations included.", int.MaxValue,
            p => p.MaxSteps, (p, v) => p with { MaxSteps = (int)v }),
        Count("max_tokens", "Most tokens (input plus output) a run may use.", long.MaxValue,
            p => p.MaxTokens, (p, v) => p with { MaxTokens = v }),
        Money("max_cost_usd", "Most dollars a run may spend.", p => p.MaxCostUsd, (p, v) => p with { MaxCostUsd = v }),
        Duration("step_timeout", "Longest a single step may take.", p => p.StepTimeout, (p, v) => p with { StepTimeout = v }),
        Count("max_output_chars", "Most characters of a step's output the ledger records.", int.MaxValue,
            p => p.MaxOutputChars, (p, v) => p with { MaxOutputChars = (int)v }),
        Duration("max_wall_time", "Longest a whole run may take.", p => p.MaxWallTime, (p, v) => p with { MaxWallTime = v }),
        Count("max_tool_calls", "Most tool calls a run may make.", int.MaxValue,
            p => p.MaxToolCalls, (p, v) => p with { MaxToolCalls = (int)v }),
        PolicyToolFields.AllowedTools("The only tools a run may call (empty: those its agents declare)."),
        PolicyToolFields.Risk("Per-tool overrides of the risk tier a tool declares."),
        Tier("risk_threshold", "The risk tier at or above which a step waits for a human.",
            p => p.RiskThreshold, (p, v) => p with { RiskThreshold = v }),
        Threshold("uncertainty_threshold", "An uncertainty score above this escalates to a human (1: never).",
            p => p.UncertaintyThreshold, (p, v) => p with { UncertaintyThreshold = v }),
        Money("max_daily_cost_usd", "Most dollars a tenant's runs may spend in a day, together.",
            p => p.MaxDailyCostUsd, (p, v) => p with { MaxDailyCostUsd = v }),
        Switch("scrub_phi", "Scrub protected health information.", p => p.ScrubPhi, (p, v) => p with { ScrubPhi = v }),
        Switch("retry_interrupted_streams", "A model stream that breaks after its first token runs the step again whole, once, instead of failing the run.",
            p => p.RetryInterruptedStreams, (p, v) => p with { RetryInterruptedStreams = v }),
        PolicyGuardianField.Create("A guardian reviews each agent's step for prompt injection, leaks (secrets, links " +
            "outside allowed_hosts), untrusted run input and behaviour, and says what each finding leads to."),
        PolicyCollusionField.Create("Audit the run for agents colluding, and what a finding leads to."),
        PolicyHitlField.Create("How a run waits for a human: whether steps pause, the tier that needs approval, who is " +
            "notified, how long a pause waits and what an expired one resolves to."),
    ];

    /// <summary>Every name a policy object accepts: <see cref="Mode"/>, then the fields of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [Mode, .. All.Select(f => f.Name)];

    /// <summary>The field with this wire name.</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out PolicyField? field)
    {
        field = All.FirstOrDefault(f => f.Name == name);
        return field is not null;
    }

    /// <summary>
    /// The fields where <paramref name="policy"/> differs from the preset of its mode: what a workflow's author wrote
    /// over the mode (a tenant's ceiling refuses those when they are looser, and tightens the rest). A field of parts
    /// is named with each differing part, as <c>hitl</c> and <c>hitl.timeout_seconds</c>, as a reader names them.
    /// </summary>
    public static IReadOnlySet<string> DifferingFromMode(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var fields = new HashSet<string>(StringComparer.Ordinal);
        if (!Policy.TryForMode(policy.Mode, out var preset))
        {
            return fields;
        }

        foreach (var field in All)
        {
            fields.UnionWith(field.Differences(policy, preset));
        }

        return fields;
    }
}
