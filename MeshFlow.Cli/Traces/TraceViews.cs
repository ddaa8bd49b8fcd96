namespace MeshFlow.Cli.Traces;

/// <summary>A run's trace as <c>GET /traces/{run_id}</c> answers it: the fields the CLI shows.</summary>
internal sealed record TraceDocument(string RunId, string Status, string? Workflow, IReadOnlyList<TraceRecord> Steps);

/// <summary>One record of a trace.</summary>
internal sealed record TraceRecord(long Seq, string? StepId, string? NodeId, string? AgentId, string Kind, string? InputTask, string? OutputContent,
    string? Verdict, double? Uncertainty, decimal CostUsd, long TokensUsed, double DurationMs, string? BlockReason, string? BlockDetail, bool Redacted);

/// <summary>One step's full input and output, as <c>GET /traces/{run_id}/steps/{step_id}/replay</c> answers it.</summary>
internal sealed record StepReplay(string RunId, string StepId, long Seq, string? NodeId, string? AgentId, string? InputTask, string? Output,
    IReadOnlyList<ToolCallView>? ToolCalls, string? Model, bool Offline, string? Verdict, string? BlockReason, long TokensInput, long TokensOutput,
    decimal CostUsd, double DurationMs, bool Redacted);

/// <summary>One tool call of a step.</summary>
internal sealed record ToolCallView(string Name, string Arguments, string? Result);
