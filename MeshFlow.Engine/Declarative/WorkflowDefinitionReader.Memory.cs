using MeshFlow.Diagnostics;
using MeshFlow.Memory;
using MeshFlow.Workflows;
using YamlDotNet.RepresentationModel;

namespace MeshFlow.Declarative;

/// <summary>Reading an agent's <c>memory: { scope: agent, top_k: 5 }</c>.</summary>
internal sealed partial class WorkflowDefinitionReader
{
    private const string MemoryExample = "{ scope: agent, top_k: 5 }";
    private static readonly string[] MemoryFields = ["scope", "top_k"];

    private AgentMemoryOptions? ReadMemory(YamlFields node, string where)
    {
        var value = node["memory"];
        if (Scalars.IsNull(value))
        {
            return null;
        }

        if (value is not YamlMappingNode mapping)
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'memory' of {where} must be a mapping such as {MemoryExample}, but is {Scalars.Describe(value!)}",
                node.PathOf("memory"), value!);
            return null;
        }

        var memoryWhere = $"the memory of {where}";
        var fields = Fields(mapping, node.PathOf("memory"), MemoryFields, memoryWhere);
        var scope = ReadMemoryScope(fields, memoryWhere);
        var topK = ReadInteger(fields, "top_k", memoryWhere, 1, AgentMemoryOptions.MaxTopK);
        return scope is { } known ? new AgentMemoryOptions(known, (int?)topK ?? AgentMemoryOptions.DefaultTopK) : null;
    }

    private MemoryScope? ReadMemoryScope(YamlFields fields, string where)
    {
        var names = string.Join(", ", MemoryScopes.Names);
        if (!fields.Has("scope"))
        {
            Error(WorkflowErrorCodes.MissingField,
                $"{where} has no 'scope': add which earlier work it spans ({names}), such as {MemoryExample}",
                fields.PathOf("scope"), fields.Mapping);
            return null;
        }

        if (Scalars.IsNull(fields["scope"]) || fields["scope"] is YamlScalarNode { Value: "" })
        {
            Error(WorkflowErrorCodes.InvalidValue, $"{where} has an empty 'scope' (expected one of {names})",
                fields.PathOf("scope"), Scalars.IsNull(fields["scope"]) ? fields.KeyOf("scope")! : fields["scope"]!);
            return null;
        }

        if (ReadScalar(fields, "scope", where, $"one of {names}") is not { } scalar)
        {
            return null;
        }

        if (MemoryScopes.TryParse(scalar.Value!, out var scope))
        {
            return scope;
        }

        Error(WorkflowErrorCodes.InvalidValue,
            $"unknown memory scope '{scalar.Value}' of {where} ({NameSuggestions.Hint(scalar.Value!, MemoryScopes.Names)}expected one of {names})",
            fields.PathOf("scope"), scalar);
        return null;
    }
}
