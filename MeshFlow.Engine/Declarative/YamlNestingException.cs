using YamlDotNet.Core;

namespace MeshFlow.Declarative;

/// <summary>A collection opened deeper than <see cref="WorkflowYaml.MaxNestingDepth"/> levels, at <see cref="Start"/>.</summary>
internal sealed class YamlNestingException(Mark start)
    : Exception($"a collection is nested deeper than {WorkflowYaml.MaxNestingDepth} levels")
{
    public Mark Start { get; } = start;
}
