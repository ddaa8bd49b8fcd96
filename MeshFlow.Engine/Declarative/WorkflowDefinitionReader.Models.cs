using MeshFlow.Agents;
using MeshFlow.Workflows;
using YamlDotNet.RepresentationModel;

namespace MeshFlow.Declarative;

/// <summary>Reading an agent's <c>model</c>: one name, or the ordered list its step fails over along.</summary>
internal sealed partial class WorkflowDefinitionReader
{
    private (string? Model, IReadOnlyList<string> Fallbacks) ReadModels(YamlFields fields, string where)
    {
        if (fields["model"] is not YamlSequenceNode)
        {
            return (ReadString(fields, "model", where), []);
        }

        var names = ReadNames(fields, "model", where, "a model name or a list of them, such as [anthropic/claude-sonnet-4-5, openai/gpt-4o-mini]");
        if (names is null)
        {
            return (null, []);
        }

        if (names.Count == 0)
        {
            Error(WorkflowErrorCodes.InvalidValue, $"'model' of {where} is an empty list: name at least one model", fields.PathOf("model"), fields["model"]!);
            return (null, []);
        }

        foreach (var (name, node, path) in names)
        {
            if (name is ModelNames.Scripted or ModelNames.Offline && names.Count > 1)
            {
                // The built-in models never fail, so there is nothing to fail over from or to.
                Error(WorkflowErrorCodes.InvalidValue,
                    $"'{name}' of {where} cannot be part of a failover list: list provider models only", path, node);
            }
        }

        return (names[0].Value, [.. names.Skip(1).Select(n => n.Value)]);
    }
}
