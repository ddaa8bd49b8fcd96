using MeshFlow.Conditions;
using MeshFlow.Workflows;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeshFlow.Declarative;

/// <summary>Reading <c>edges:</c>.</summary>
internal sealed partial class WorkflowDefinitionReader
{
    private const int DefaultMaxIterations = 10;

    private static readonly string[] EdgeFields = ["from", "to", "when", "loop", "max_iterations"];

    /// <summary>
    /// One edge per entry, in order (an entry too broken to read becomes an edge without endpoints, its problems
    /// already reported), so that the graph checks number edges as the definition does.
    /// </summary>
    private List<WorkflowEdge> ReadEdges(YamlFields root)
    {
        var edges = new List<WorkflowEdge>();
        var value = root["edges"];
        if (Scalars.IsNull(value))
        {
            return edges;
        }

        if (value is not YamlSequenceNode sequence)
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'edges' must be a list of edges, such as [{{ from: writer, to: critic }}], but is {Scalars.Describe(value!)}",
                "edges", value!);
            return edges;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            edges.Add(ReadEdge(sequence.Children[i], i));
        }

        return edges;
    }

    private WorkflowEdge ReadEdge(YamlNode item, int index)
    {
        var path = $"edges[{index}]";
        var location = YamlSource.At(item.Start);
        Track(path, item);
        if (item is not YamlMappingNode mapping)
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"edge {index + 1} must be a mapping such as {{ from: writer, to: critic }}, but is {Scalars.Describe(item)}",
                path, item);
            return new WorkflowEdge(string.Empty, string.Empty) { Location = location };
        }

        var fields = Fields(mapping, path, EdgeFields, $"edge {index + 1}");

        // A missing endpoint is left empty: the graph checks report it as a dangling edge.
        var from = ReadString(fields, "from", $"edge {index + 1}", "a node id") ?? string.Empty;
        var to = ReadString(fields, "to", $"edge {index + 1}", "a node id") ?? string.Empty;
        var where = from.Length > 0 && to.Length > 0 ? $"edge {index + 1} ({from}->{to})" : $"edge {index + 1}";

        var condition = ReadCondition(fields, where);
        var loop = ReadBoolean(fields, "loop", where) ?? false;
        var maxIterations = ReadInteger(fields, "max_iterations", where, 1, int.MaxValue);
        if (maxIterations is not null && !loop && !IsReported(fields.PathOf("loop")))
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'max_iterations' of {where} only applies to loop edges: add 'loop: true' or remove it",
                fields.PathOf("max_iterations"), fields["max_iterations"]!);
        }

        if (loop && Scalars.IsNull(fields["when"]))
        {
            Error(WorkflowErrorCodes.MissingField,
                $"{where} is a loop edge without a 'when' condition: a loop edge needs a 'when' condition saying " +
                "when to go round again, such as \"!contains(output, 'APPROVED')\"", fields.PathOf("when"), mapping);
        }

        return new WorkflowEdge(from, to, condition, loop, (int)(maxIterations ?? DefaultMaxIterations))
        {
            Location = location,
        };
    }

    private EdgeCondition? ReadCondition(YamlFields fields, string where)
    {
        if (ReadScalar(fields, "when", where, "a condition such as \"contains(output, 'APPROVED')\"") is not { } scalar)
        {
            return null;
        }

        var text = scalar.Value ?? string.Empty;
        if (ConditionExpression.TryParse(text, out var expression, out var error))
        {
            return EdgeCondition.Expression(expression!);
        }

        var at = ConditionLocator.Locate(_text, scalar, Math.Clamp(error!.Position, 0, text.Length));
        var block = scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded;
        Error(WorkflowErrorCodes.InvalidCondition,
            $"invalid condition in {where}: {error.Detail}" +
            (block ? $" (column {error.Position + 1} of the condition)" : string.Empty),
            fields.PathOf("when"), at);
        return null;
    }
}
