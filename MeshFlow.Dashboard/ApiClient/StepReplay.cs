namespace MeshFlow.Dashboard.ApiClient;

/// <summary><c>GET /traces/{id}/steps/{step_id}/replay</c>: one step's full input and output, its tool calls and model.</summary>
public sealed record StepReplay(
    string RunId,
    string StepId,
    long Seq,
    string? NodeId,
    string? AgentId,
    string? InputTask,
    string? Output,
    IReadOnlyList<ToolCallView> ToolCalls,
    string? Model,
    bool Offline,
    long TokensInput,
    long TokensOutput,
    bool TokensEstimated,
    bool Redacted);
