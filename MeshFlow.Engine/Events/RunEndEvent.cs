using MeshFlow.Runs;

namespace MeshFlow.Events;

/// <summary>The run ended (or paused): its status and final output.</summary>
public sealed record RunEndEvent : MeshEvent
{
    /// <summary>The run's final status.</summary>
    public RunStatus Status { get; init; }

    /// <summary>The run's final output (empty when it produced none).</summary>
    public required string Output { get; init; }

    /// <summary>Total tokens used by the run.</summary>
    public TokenUsage Tokens { get; init; }

    /// <summary>Total cost of the run in US dollars.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>The error that ended the run, when it did not complete.</summary>
    public RunError? Error { get; init; }

    /// <inheritdoc />
    public override string Kind => MeshEventKinds.RunEnd;
}
