using Microsoft.Extensions.AI;

namespace MeshFlow.Declarative;

/// <summary>How <see cref="WorkflowYaml"/> loads a workflow definition.</summary>
public sealed record WorkflowLoadOptions
{
    /// <summary>
    /// The tools definitions may name, by name. When set, every agent's <c>tools:</c> entry and every tool node's
    /// <c>tool:</c> must be one of them, and the loaded nodes hold the tool instances. When null, tool names are
    /// not checked at load time: tool nodes keep the name and the engine resolves it among its registered tools
    /// when the node runs.
    /// </summary>
    public IReadOnlyDictionary<string, AIFunction>? Tools { get; init; }
}
