using System.Collections.ObjectModel;
using System.Text;
using MeshFlow.Governance.Collusion;
using MeshFlow.Governance.Guardian;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Governance;

/// <summary>
/// The named modes' policies, defined here once, and their table: for each mode, each field's value as a policy
/// would write it, for an endpoint to return and the README to show.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>field</term><description>dev / standard / strict / hipaa</description></listheader>
/// <item><term>max_steps</term><description>1000 / 200 / 50 / 50</description></item>
/// <item><term>max_tokens</term><description>none / 1000000 / 200000 / 200000</description></item>
/// <item><term>max_cost_usd</term><description>none / 10 / 2 / 2</description></item>
/// <item><term>step_timeout</term><description>10m / 2m / 1m / 1m</description></item>
/// <item><term>max_wall_time</term><description>none / 30m / 10m / 10m</description></item>
/// <item><term>max_tool_calls</term><description>none / 100 / 25 / 25</description></item>
/// <item><term>risk_threshold</term><description>none / none / high / medium</description></item>
/// <item><term>uncertainty_threshold</term><description>1 / 1 / 0.8 / 0.7</description></item>
/// <item><term>scrub_phi</term><description>hipaa only</description></item>
/// <item><term>guardian</term><description>
/// strict and hipaa, with its defaults (injection escalates, leaks are stripped, no host list, behaviour watched);
/// hipaa also scans the run input as untrusted
/// </description></item>
/// <item><term>collusion_audit</term><description>hipaa only, and a finding escalates to a human</description></item>
/// <item><term>hitl</term><description>the defaults in every mode: enabled, 24 hours, then reject</description></item>
/// </list>
/// Every other field is none (no limit, no override) in every mode: <c>max_daily_cost_usd</c> is for tenants to set,
/// and <c>max_output_chars</c> stays none in hipaa too, so the ledger keeps whole outputs for audit.
/// No mode sets <c>hitl.risk_threshold</c>: strict and hipaa already escalate at high (and hipaa at medium) through
/// <c>risk_threshold</c>, and dev and standard escalate for risk only when a policy asks.
/// </remarks>
public static class PolicyPresets
{
    /// <summary>Mode, then field wire name, then the value as written: <c>Values["strict"]["max_wall_time"]</c> is <c>10m</c>.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Values => field ??= Describe();

    /// <summary>The table as Markdown: one row per field, one column per mode, then what the field means.</summary>
    public static string ToMarkdown()
    {
        var table = new StringBuilder();
        table.Append("| field | ").AppendJoin(" | ", PolicyModes.All).Append(" | meaning |\n");
        table.Append("|---|").Append(string.Concat(Enumerable.Repeat("---|", PolicyModes.All.Count))).Append("---|\n");
        foreach (var field in PolicyFields.All)
        {
            table.Append("| `").Append(field.Name).Append("` | ")
                .AppendJoin(" | ", PolicyModes.All.Select(mode => Values[mode][field.Name]))
                .Append(" | ").Append(field.Meaning).Append(" |\n");
        }

        return table.ToString();
    }

    /// <summary>A fresh policy of the mode, or null when there is no such mode.</summary>
    internal static Policy? Create(string mode) => mode switch
    {
        PolicyModes.Dev => new Policy
        {
            Mode = PolicyModes.Dev, MaxSteps = 1_000, StepTimeout = TimeSpan.FromMinutes(10),
        },
        PolicyModes.Standard => new Policy
        {
            Mode = PolicyModes.Standard, MaxSteps = 200, MaxTokens = 1_000_000, MaxCostUsd = 10m,
            StepTimeout = TimeSpan.FromMinutes(2), MaxWallTime = TimeSpan.FromMinutes(30), MaxToolCalls = 100,
        },
        PolicyModes.Strict => new Policy
        {
            Mode = PolicyModes.Strict, MaxSteps = 50, MaxTokens = 200_000, MaxCostUsd = 2m,
            StepTimeout = TimeSpan.FromMinutes(1), MaxWallTime = TimeSpan.FromMinutes(10), MaxToolCalls = 25,
            RiskThreshold = RiskTier.High, UncertaintyThreshold = 0.8, Guardian = GuardianPolicy.On,
        },
        // Strict's limits, with a lower bar for a human and the safeguards health data needs: the input (a patient's
        // record, a message) may carry instructions, and agents working around a check is for a person to judge.
        PolicyModes.Hipaa => Create(PolicyModes.Strict)! with
        {
            Mode = PolicyModes.Hipaa, RiskThreshold = RiskTier.Medium, UncertaintyThreshold = 0.7, ScrubPhi = true,
            Guardian = GuardianPolicy.On with { UntrustedInput = true },
            CollusionAudit = CollusionPolicy.On with { OnFinding = CollusionAction.Escalate },
        },
        _ => null,
    };

    private static ReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Describe()
    {
        var values = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var mode in PolicyModes.All)
        {
            var policy = Create(mode)!;
            values[mode] = PolicyFields.All.ToDictionary(f => f.Name, f => f.Format(policy), StringComparer.Ordinal).AsReadOnly();
        }

        return values.AsReadOnly();
    }
}
