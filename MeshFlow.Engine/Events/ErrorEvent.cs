namespace MeshFlow.Events;

/// <summary>Something went wrong; <see cref="Code"/> is stable, <see cref="Message"/> is for people.</summary>
public sealed record ErrorEvent : MeshEvent
{
    /// <summary>A stable error code such as <c>MaxIterationsExceeded</c> or <c>NodeFailed</c>.</summary>
    public required string Code { get; init; }

    /// <summary>A message that names what failed and why.</summary>
    public required string Message { get; init; }

    /// <inheritdoc />
    public override string Kind => MeshEventKinds.Error;
}
