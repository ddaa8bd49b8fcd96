using Microsoft.Extensions.AI;

namespace MeshFlow.Declarative;

/// <summary>
/// A tool an agent of a declarative workflow names, loaded without a tool registry
/// (<see cref="WorkflowLoadOptions.Tools"/> null): only its name is known, and the engine is expected to swap it
/// for the tool registered under that name. Invoking it unresolved fails with a message saying so.
/// </summary>
internal sealed class NamedToolReference(string name) : AIFunction
{
    public override string Name { get; } = name;

    public override string Description => $"the tool registered as '{Name}'";

    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(
            $"tool '{Name}' is named by a workflow definition but was never resolved: register it with the engine " +
            "(MeshFlowEngineOptions.Tools) or pass it in WorkflowLoadOptions.Tools when loading the workflow");
}
