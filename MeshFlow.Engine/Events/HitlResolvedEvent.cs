namespace MeshFlow.Events;

/// <summary>A pause was decided: approved (the run resumes from the paused step) or rejected (the run ends blocked).</summary>
public sealed record HitlResolvedEvent : MeshEvent
{
    /// <summary><c>approved</c> or <c>rejected</c>.</summary>
    public required string Decision { get; init; }

    /// <summary>Who decided (<c>system:timeout</c> for an expired pause).</summary>
    public required string ReviewerId { get; init; }

    /// <summary>When.</summary>
    public required DateTimeOffset DecidedAt { get; init; }

    /// <inheritdoc />
    public override string Kind => MeshEventKinds.HitlResolved;
}
