namespace MeshFlow.Events;

/// <summary>A chunk of a step's output, emitted as it arrives from the model.</summary>
public sealed record TokenDeltaEvent : MeshEvent
{
    /// <summary>The chunk's text.</summary>
    public required string Text { get; init; }

    /// <inheritdoc />
    public override string Kind => MeshEventKinds.TokenDelta;
}
