using System.Text.Json.Serialization;
using MeshFlow.Approvals;
using MeshFlow.Governance.Collusion;
using MeshFlow.Governance.Guardian;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Governance;

/// <summary>The limits a run is held to. Start from a named mode (<see cref="PolicyModes"/>) and override fields.</summary>
/// <remarks>
/// Equality is by content: two policies with the same values, lists and risk overrides are equal, so a policy read
/// back from JSON equals the one written. <c>new Policy()</c> limits nothing: every limit is none and every switch
/// off. A field missing from an older JSON policy keeps that default, and the <c>true</c> or <c>false</c> an older
/// policy wrote for <c>guardian</c> or <c>collusion_audit</c> reads as that field switched on or off with its defaults.
/// </remarks>
public sealed record Policy
{
    /// <summary>The named mode this policy started from.</summary>
    [JsonPropertyName("mode")]
    public string Mode { get; init; } = PolicyModes.Standard;

    /// <summary>Most steps a run may take, loop iterations included (0 = no limit).</summary>
    [JsonPropertyName("max_steps")]
    public int MaxSteps { get; init; }

    /// <summary>Most tokens (input plus output) a run may use (0 = no limit).</summary>
    [JsonPropertyName("max_tokens")]
    public long MaxTokens { get; init; }

    /// <summary>Most dollars a run may spend (0 = no limit).</summary>
    [JsonPropertyName("max_cost_usd")]
    public decimal MaxCostUsd { get; init; }

    /// <summary>Longest a single step may take; <see cref="Timeout.InfiniteTimeSpan"/> for none.</summary>
    [JsonPropertyName("step_timeout")]
    public TimeSpan StepTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Most characters of a step's output the ledger records (0 = unlimited, the default). Only a policy that asks
    /// for it truncates, and the record then says so and keeps the original length.
    /// </summary>
    [JsonPropertyName("max_output_chars")]
    public int MaxOutputChars { get; init; }

    /// <summary>Longest a whole run may take, from its start; <see cref="Timeout.InfiniteTimeSpan"/> for none.</summary>
    [JsonPropertyName("max_wall_time")]
    public TimeSpan MaxWallTime { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Most tool calls a run may make, agents' and tool nodes' together (0 = no limit).</summary>
    [JsonPropertyName("max_tool_calls")]
    public int MaxToolCalls { get; init; }

    /// <summary>
    /// The only tools a run may call; empty for no restriction beyond the tools each agent declares.
    /// </summary>
    [JsonPropertyName("allowed_tools")]
    public IReadOnlyList<string> AllowedTools
    {
        get;
        // Copied, so that a policy (a preset above all) cannot be changed through a list its caller kept.
        init => field = value is null ? [] : [.. value];
    } = [];

    /// <summary>Per-tool overrides of the risk tier each tool declares, by tool name.</summary>
    [JsonPropertyName("risk")]
    public IReadOnlyDictionary<string, RiskTier> Risk
    {
        get;
        init => field = value is null || value.Count == 0
            ? NoOverrides
            : new Dictionary<string, RiskTier>(value, StringComparer.Ordinal).AsReadOnly();
    } = NoOverrides;

    /// <summary>
    /// The tier at or above which a step waits for a human; null never escalates for risk.
    /// </summary>
    [JsonPropertyName("risk_threshold")]
    public RiskTier? RiskThreshold { get; init; }

    /// <summary>
    /// A step whose uncertainty score (0 to 1) is above this escalates to a human; 1 never escalates.
    /// </summary>
    [JsonPropertyName("uncertainty_threshold")]
    public double UncertaintyThreshold { get; init; } = 1;

    /// <summary>Most dollars a tenant's runs may spend in a day, together (0 = no limit).</summary>
    [JsonPropertyName("max_daily_cost_usd")]
    public decimal MaxDailyCostUsd { get; init; }

    /// <summary>Whether protected health information is scrubbed from what agents see and the ledger records.</summary>
    [JsonPropertyName("scrub_phi")]
    public bool ScrubPhi { get; init; }

    /// <summary>
    /// Whether an agent step whose model stream breaks after its first token runs again whole, once (its earlier
    /// deltas are void, its tool calls made again), instead of failing the run. Never switched to another model.
    /// </summary>
    [JsonPropertyName("retry_interrupted_streams")]
    public bool RetryInterruptedStreams { get; init; }

    /// <summary>
    /// Whether a guardian reviews each agent's step before it is committed, and what it watches and does: prompt
    /// injection, secrets and links in outputs, untrusted input, behaviour.
    /// </summary>
    [JsonPropertyName("guardian")]
    public GuardianPolicy Guardian
    {
        get;
        init => field = value ?? GuardianPolicy.Off;
    } = GuardianPolicy.Off;

    /// <summary>Whether the run is audited for agents colluding (agreeing to get around a check), and what a finding does.</summary>
    [JsonPropertyName("collusion_audit")]
    public CollusionPolicy CollusionAudit
    {
        get;
        init => field = value ?? CollusionPolicy.Off;
    } = CollusionPolicy.Off;

    /// <summary>How the run waits for a human (pausing, notification, deadline, what an expiry does).</summary>
    [JsonPropertyName("hitl")]
    public HitlPolicy Hitl
    {
        get;
        init => field = value ?? HitlPolicy.Default;
    } = HitlPolicy.Default;

    /// <summary>
    /// The tier at or above which a step waits for a human: the lower of <see cref="RiskThreshold"/> and
    /// <see cref="HitlPolicy.RiskThreshold"/>, or null when neither is set.
    /// </summary>
    [JsonIgnore]
    public RiskTier? ApprovalThreshold =>
        (RiskThreshold, Hitl.RiskThreshold) switch
        {
            ({ } a, { } b) => a < b ? a : b,
            ({ } a, null) => a,
            (null, var b) => b,
        };

    private static IReadOnlyDictionary<string, RiskTier> NoOverrides { get; } =
        new Dictionary<string, RiskTier>(StringComparer.Ordinal).AsReadOnly();

    /// <summary>The policy of a named mode (its values: <see cref="PolicyPresets"/>).</summary>
    /// <exception cref="ArgumentException">The mode is not one of <see cref="PolicyModes.All"/>.</exception>
    public static Policy ForMode(string mode) =>
        TryForMode(mode, out var policy)
            ? policy
            : throw new ArgumentException(
                $"unknown policy mode '{mode}' (expected one of {string.Join(", ", PolicyModes.All)})", nameof(mode));

    /// <summary>The policy of a named mode, or false when the mode is unknown.</summary>
    public static bool TryForMode(string mode, out Policy policy)
    {
        policy = PolicyPresets.Create(mode)!;
        return policy is not null;
    }

    /// <inheritdoc />
    public bool Equals(Policy? other) =>
        other is not null &&
        (ReferenceEquals(this, other) ||
         Mode == other.Mode && MaxSteps == other.MaxSteps && MaxTokens == other.MaxTokens &&
         MaxCostUsd == other.MaxCostUsd && StepTimeout == other.StepTimeout && MaxOutputChars == other.MaxOutputChars &&
         MaxWallTime == other.MaxWallTime && MaxToolCalls == other.MaxToolCalls &&
         AllowedTools.SequenceEqual(other.AllowedTools, StringComparer.Ordinal) && SameRisk(Risk, other.Risk) &&
         RiskThreshold == other.RiskThreshold && UncertaintyThreshold.Equals(other.UncertaintyThreshold) &&
         MaxDailyCostUsd == other.MaxDailyCostUsd && ScrubPhi == other.ScrubPhi && Guardian == other.Guardian &&
         RetryInterruptedStreams == other.RetryInterruptedStreams &&
         CollusionAudit == other.CollusionAudit && Hitl == other.Hitl);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Mode);
        hash.Add(MaxSteps);
        hash.Add(MaxTokens);
        hash.Add(MaxCostUsd);
        hash.Add(StepTimeout);
        hash.Add(MaxOutputChars);
        hash.Add(MaxWallTime);
        hash.Add(MaxToolCalls);
        foreach (var tool in AllowedTools)
        {
            hash.Add(tool, StringComparer.Ordinal);
        }

        // Dictionary order is no part of a policy: the overrides are combined in an order-free way.
        var risk = 0;
        foreach (var (tool, tier) in Risk)
        {
            risk ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(tool), tier);
        }

        hash.Add(risk);
        hash.Add(RiskThreshold);
        hash.Add(UncertaintyThreshold);
        hash.Add(MaxDailyCostUsd);
        hash.Add(ScrubPhi);
        hash.Add(RetryInterruptedStreams);
        hash.Add(Guardian);
        hash.Add(CollusionAudit);
        hash.Add(Hitl);
        return hash.ToHashCode();
    }

    private static bool SameRisk(IReadOnlyDictionary<string, RiskTier> a, IReadOnlyDictionary<string, RiskTier> b) =>
        a.Count == b.Count && a.All(entry => b.TryGetValue(entry.Key, out var tier) && tier == entry.Value);
}
