namespace MeshFlow.Events;

/// <summary>A step started: a node is about to run for the given iteration.</summary>
public sealed record StepStartEvent : MeshEvent
{
    /// <summary>How many times the node has run in this run, this step included (1-based).</summary>
    public int Iteration { get; init; }

    /// <summary>The model the step calls, or null for nodes that call none.</summary>
    public string? Model { get; init; }

    /// <summary>True when the model is the built-in offline model, not a real LLM.</summary>
    public bool Offline { get; init; }

    /// <summary>The <c>did:key</c> of the agent that runs the step, for agent steps.</summary>
    public string? AgentDid { get; init; }

    /// <inheritdoc />
    public override string Kind => MeshEventKinds.StepStart;
}
