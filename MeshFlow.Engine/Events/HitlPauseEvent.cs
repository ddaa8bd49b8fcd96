namespace MeshFlow.Events;

/// <summary>The run paused because a check escalated a step to a human.</summary>
public sealed record HitlPauseEvent : MeshEvent
{
    /// <summary>Why the step was escalated.</summary>
    public required string Reason { get; init; }

    /// <inheritdoc />
    public override string Kind => MeshEventKinds.HitlPause;
}
