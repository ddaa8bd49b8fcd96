namespace MeshFlow.Events;

/// <summary>A tool call finished.</summary>
public sealed record ToolResultEvent : MeshEvent
{
    /// <summary>The call's id, matching the <see cref="ToolCallEvent"/>.</summary>
    public required string CallId { get; init; }

    /// <summary>The result as text (JSON for structured results).</summary>
    public required string Result { get; init; }

    /// <inheritdoc />
    public override string Kind => MeshEventKinds.ToolResult;
}
