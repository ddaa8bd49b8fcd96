using MeshFlow.Ledger;
using MeshFlow.Runs;

namespace MeshFlow.Api.Traces;

/// <summary>One record of a run's trace, with its full (decompressed) content.</summary>
public sealed record TraceStep(long Seq, string? StepId, string? NodeId, string? AgentId, string Kind, string? InputTask, string? OutputContent,
    string? Verdict, double? Uncertainty, decimal CostUsd, long TokensUsed, double DurationMs, bool Blocked, string? BlockReason,
    bool Redacted, DateTimeOffset Ts, string PrevHash, string EntryHash)
{
    /// <summary>The trace view of a ledger record.</summary>
    public static TraceStep From(LedgerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (input, output) = record.Redacted ? (null, null) : Content(record);
        return new TraceStep(record.Seq, record.StepId, record.NodeId, record.AgentId, record.Kind, input, output, record.Verdict, record.Uncertainty,
            record.CostUsd, record.TokensInput + record.TokensOutput, record.DurationMs, record.Verdict == "blocked", record.BlockReason,
            record.Redacted, record.Timestamp, record.PrevHash, record.EntryHash);
    }

    private static (string? Input, string? Output) Content(LedgerRecord record) => record.Kind switch
    {
        LedgerRecordKinds.Step => LedgerPayloads.ReadStep(record.Payload) is var step ? (step.InputTask, step.Output) : default,
        LedgerRecordKinds.RunStart => (LedgerPayloads.ReadRunStart(record.Payload).Input, null),
        LedgerRecordKinds.RunEnd => (null, LedgerPayloads.ReadRunEnd(record.Payload).Output),
        _ => (null, null),
    };
}

/// <summary>A run's trace: every record of its chain.</summary>
public sealed record TraceView(string RunId, string Status, string Workflow, IReadOnlyList<TraceStep> Steps);

/// <summary>One step's full input and output, as recorded.</summary>
public sealed record StepReplayView(string RunId, string StepId, long Seq, string? NodeId, string? AgentId, string? InputTask, string? Output,
    IReadOnlyList<ToolCallRecord> ToolCalls, string? Model, bool Offline, bool OutputTruncated, string? Verdict, string? BlockReason,
    long TokensInput, long TokensOutput, bool TokensEstimated, decimal CostUsd, double DurationMs, bool Redacted, string EntryHash);
