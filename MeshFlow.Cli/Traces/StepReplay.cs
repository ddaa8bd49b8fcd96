namespace MeshFlow.Cli.Traces;

/// <summary>One step's full input and output, as <c>GET /traces/{run_id}/steps/{step_id}/replay</c> answers it.</summary>
internal sealed record StepReplay(string RunId, string StepId, long Seq, string? NodeId, string? AgentId, string? InputTask, string? Output,
    IReadOnlyList<ToolCallView>? ToolCalls, string? Model, bool Offline, string? Verdict, string? BlockReason, long TokensInput, long TokensOutput,
    decimal CostUsd, double DurationMs, bool Redacted);
