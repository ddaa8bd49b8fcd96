using MeshFlow.Governance.Risk;

namespace MeshFlow.Events;

/// <summary>A tool call finished, ran or not: its result, or why it was not made.</summary>
public sealed record ToolResultEvent : MeshEvent
{
    /// <summary>The call's id, matching the <see cref="ToolCallEvent"/>.</summary>
    public required string CallId { get; init; }

    /// <summary>The result as text (JSON for structured results), or why the call was not made.</summary>
    public required string Result { get; init; }

    /// <summary>How long the tool ran, in milliseconds; null when it did not run.</summary>
    public double? DurationMs { get; init; }

    /// <summary>The call's risk tier, as the risk check rated it before it ran; null when no check rated it.</summary>
    public RiskTier? RiskTier { get; init; }

    /// <inheritdoc />
    public override string Kind => MeshEventKinds.ToolResult;
}
