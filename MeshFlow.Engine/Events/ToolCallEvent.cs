namespace MeshFlow.Events;

/// <summary>An agent asked for a tool to be called.</summary>
public sealed record ToolCallEvent : MeshEvent
{
    /// <summary>The call's id, matching the <see cref="ToolResultEvent"/>.</summary>
    public required string CallId { get; init; }

    /// <summary>The tool's name.</summary>
    public required string Name { get; init; }

    /// <summary>The arguments as JSON.</summary>
    public required string Arguments { get; init; }

    /// <inheritdoc />
    public override string Kind => MeshEventKinds.ToolCall;
}
