using YamlDotNet.Core;

namespace MeshFlow.Declarative;

/// <summary>
/// A collection opened deeper than <see cref="WorkflowYaml.MaxNestingDepth"/> levels, at <see cref="Start"/>; or,
/// when <see cref="Alias"/> is set, an alias there whose value would reach deeper (or contains the alias itself).
/// </summary>
internal sealed class YamlNestingException(Mark start, string? alias = null)
    : Exception($"a collection is nested deeper than {WorkflowYaml.MaxNestingDepth} levels")
{
    public Mark Start { get; } = start;

    public string? Alias { get; } = alias;
}
