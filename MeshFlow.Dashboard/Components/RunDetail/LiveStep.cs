using System.Text;
using MeshFlow.Dashboard.ApiClient;

namespace MeshFlow.Dashboard.Components.RunDetail;

/// <summary>A step in flight, as its events tell it: when it started, the text streamed so far, the tools it called.</summary>
public sealed class LiveStep(string stepId, string? nodeId, string? agentId, DateTimeOffset startedAt)
{
    private readonly StringBuilder _text = new();

    public string StepId { get; } = stepId;

    public string? NodeId { get; } = nodeId;

    public string? AgentId { get; } = agentId;

    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>The concatenated <c>token_delta</c> texts so far.</summary>
    public string Text => _text.ToString();

    /// <summary>The names of the tools called so far, in order.</summary>
    public List<string> ToolCalls { get; } = [];

    public void Append(string text) => _text.Append(text);

    /// <summary>The step as a record without a verdict, ending <paramref name="now"/>, so the waterfall draws it growing.</summary>
    public TraceRecord ToRecord(DateTimeOffset now) =>
        new(long.MaxValue, StepId, NodeId, AgentId, "step", null, Text, null, null, 0, 0,
            Math.Max(0, (now - StartedAt).TotalMilliseconds), false, null, false, now);
}
