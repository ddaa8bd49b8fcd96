namespace MeshFlow.Dashboard.ApiClient;

/// <summary>
/// One record of a run's chain as <c>GET /traces/{id}</c> shows it: a step (kind <c>step</c>) or a run, approval or
/// collusion record, with its full contents and what the step's checks found.
/// </summary>
public sealed record TraceRecord(
    long Seq,
    string? StepId,
    string? NodeId,
    string? AgentId,
    string Kind,
    string? InputTask,
    string? OutputContent,
    string? Verdict,
    double? Uncertainty,
    decimal CostUsd,
    long TokensUsed,
    double DurationMs,
    bool Blocked,
    string? BlockReason,
    bool Redacted,
    DateTimeOffset Ts)
{
    /// <summary>The <c>did:key</c> of the agent that produced the record.</summary>
    public string? AgentDid { get; init; }

    /// <summary>Why the step was blocked or escalated, as its check said.</summary>
    public string? BlockDetail { get; init; }

    /// <summary>The highest risk tier of the step's actions and why.</summary>
    public TraceRisk? Risk { get; init; }

    /// <summary>What the guardian found in the step.</summary>
    public IReadOnlyList<GuardianSignal>? Guardian { get; init; }

    /// <summary>True for a step record (the waterfall's bars); the others are the run's and approvals' records.</summary>
    public bool IsStep => Kind == "step" && StepId is not null;

    /// <summary>When the step started: its record's time less its duration.</summary>
    public DateTimeOffset Start => Ts - TimeSpan.FromMilliseconds(Math.Max(0, DurationMs));
}
