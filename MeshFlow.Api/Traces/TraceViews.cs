using MeshFlow.Approvals;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Governance.Uncertainty;
using MeshFlow.Ledger;
using MeshFlow.Runs;

namespace MeshFlow.Api.Traces;

/// <summary>One record of a run's trace, with its full (decompressed) content and what the step's checks found.</summary>
public sealed record TraceStep(long Seq, string? StepId, string? NodeId, string? AgentId, string Kind, string? InputTask, string? OutputContent,
    string? Verdict, double? Uncertainty, decimal CostUsd, long TokensUsed, double DurationMs, bool Blocked, string? BlockReason,
    bool Redacted, DateTimeOffset Ts, string PrevHash, string EntryHash)
{
    /// <summary>The <c>did:key</c> of the agent that produced the record.</summary>
    public string? AgentDid { get; init; }

    /// <summary>Why the step was blocked or escalated, as its check said.</summary>
    public string? BlockDetail { get; init; }

    /// <summary>The highest risk tier of the step's actions, the rule that set it, the action and why.</summary>
    public RiskFinding? Risk { get; init; }

    /// <summary>Where the uncertainty score came from, and what raised it.</summary>
    public UncertaintyFinding? UncertaintySource { get; init; }

    /// <summary>What the guardian found in the step: each signal, where it was found and what was done.</summary>
    public IReadOnlyList<GuardianFinding>? Guardian { get; init; }

    /// <summary>For a rag step: the chunks it retrieved, each with its number in the step's output, document, source, position and score.</summary>
    public IReadOnlyList<RetrievedChunkRecord>? RetrievedChunks { get; init; }

    /// <summary>For a collusion record: the pattern, the agents and steps involved, and what the policy made of it.</summary>
    public CollusionPayload? Collusion { get; init; }

    /// <summary>The trace view of a ledger record.</summary>
    public static TraceStep From(LedgerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var step = record is { Kind: LedgerRecordKinds.Step, Redacted: false } ? LedgerPayloads.ReadStep(record.Payload) : null;
        var (input, output) = record.Redacted ? (null, null) : Content(record, step);
        return new TraceStep(record.Seq, record.StepId, record.NodeId, record.AgentId, record.Kind, input, output, record.Verdict, record.Uncertainty,
            record.CostUsd, record.TokensInput + record.TokensOutput, record.DurationMs, record.Verdict == "blocked", record.BlockReason,
            record.Redacted, record.Timestamp, record.PrevHash, record.EntryHash)
        {
            AgentDid = record.AgentDid, BlockDetail = step?.BlockDetail, Risk = step?.Risk, UncertaintySource = step?.Uncertainty,
            Guardian = step?.Guardian, RetrievedChunks = step?.RetrievedChunks,
            Collusion = record is { Kind: LedgerRecordKinds.Collusion, Redacted: false } ? LedgerPayloads.ReadCollusion(record.Payload) : null,
        };
    }

    private static string Describe(HitlDecisionPayload decision) =>
        $"{decision.Decision} by '{decision.ReviewerId}'" + (decision.Notes is { Length: > 0 } notes ? $": {notes}" : string.Empty);

    private static string Describe(CollusionPayload finding) =>
        $"{finding.Pattern} ({string.Join(", ", finding.Agents)}): {finding.Detail}";

    private static (string? Input, string? Output) Content(LedgerRecord record, StepPayload? step) => record.Kind switch
    {
        LedgerRecordKinds.Step when step is not null => (step.InputTask, step.Output),
        LedgerRecordKinds.RunStart => (LedgerPayloads.ReadRunStart(record.Payload).Input, null),
        LedgerRecordKinds.RunEnd => (null, LedgerPayloads.ReadRunEnd(record.Payload).Output),
        LedgerRecordKinds.HitlPause => (ApprovalPayloads.ReadPause(record.Payload).Reason, null),
        LedgerRecordKinds.HitlDecision => (null, Describe(ApprovalPayloads.ReadDecision(record.Payload))),
        LedgerRecordKinds.Collusion => (null, Describe(LedgerPayloads.ReadCollusion(record.Payload))),
        _ => (null, null),
    };
}

/// <summary>A run's trace: every record of its chain.</summary>
public sealed record TraceView(string RunId, string Status, string Workflow, IReadOnlyList<TraceStep> Steps);

/// <summary>One step's full input and output, as recorded.</summary>
public sealed record StepReplayView(string RunId, string StepId, long Seq, string? NodeId, string? AgentId, string? InputTask, string? Output,
    IReadOnlyList<ToolCallRecord> ToolCalls, string? Model, bool Offline, bool OutputTruncated, string? Verdict, string? BlockReason,
    long TokensInput, long TokensOutput, bool TokensEstimated, decimal CostUsd, double DurationMs, bool Redacted, string EntryHash)
{
    /// <summary>For a rag step: the chunks it retrieved, numbered as its output cites them.</summary>
    public IReadOnlyList<RetrievedChunkRecord>? RetrievedChunks { get; init; }
}
