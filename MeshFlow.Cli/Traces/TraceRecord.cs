namespace MeshFlow.Cli.Traces;

/// <summary>One record of a trace.</summary>
internal sealed record TraceRecord(long Seq, string? StepId, string? NodeId, string? AgentId, string Kind, string? InputTask, string? OutputContent,
    string? Verdict, double? Uncertainty, decimal CostUsd, long TokensUsed, double DurationMs, string? BlockReason, string? BlockDetail, bool Redacted);
