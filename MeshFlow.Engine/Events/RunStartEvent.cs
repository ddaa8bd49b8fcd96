namespace MeshFlow.Events;

/// <summary>A run started: its workflow, input and policy mode.</summary>
public sealed record RunStartEvent : MeshEvent
{
    /// <summary>The workflow's name.</summary>
    public required string Workflow { get; init; }

    /// <summary>The run's input.</summary>
    public required string Input { get; init; }

    /// <summary>The policy mode in force.</summary>
    public required string Policy { get; init; }

    /// <inheritdoc />
    public override string Kind => MeshEventKinds.RunStart;
}
