using System.Text.RegularExpressions;
using MeshFlow.Diagnostics;
using MeshFlow.Workflows;
using YamlDotNet.RepresentationModel;

namespace MeshFlow.Declarative;

/// <summary>
/// Walks a definition's YAML representation by hand, collecting every problem with its line and column instead of
/// stopping at the first, and builds the workflow when there is none.
/// </summary>
/// <remarks>
/// Positions: every value read is recorded under its path (<c>edges[2].to</c>, <c>nodes[3].id</c>...). The graph
/// checks shared with <see cref="WorkflowBuilder"/> (<see cref="GraphValidator"/>) report paths, which are looked
/// up there, so that an unknown node points at the offending <c>to:</c> value and a duplicate id at the second
/// <c>id:</c>.
/// </remarks>
internal sealed partial class WorkflowDefinitionReader
{
    private static readonly string[] RootFields = ["name", "description", "policy", "output", "nodes", "edges"];

    private readonly string _text;
    private readonly WorkflowLoadOptions _options;
    private readonly List<WorkflowValidationError> _errors = [];
    private readonly Dictionary<string, SourceLocation> _locations = new(StringComparer.Ordinal);

    // Paths whose problem this reader has reported already: the graph checks' errors about them are dropped.
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    private string? _description;

    private WorkflowDefinitionReader(string text, WorkflowLoadOptions options)
    {
        // A byte order mark is no part of the text: YAML would read it into the first key.
        _text = text.StartsWith('\uFEFF') ? text[1..] : text;
        _options = options;
    }

    public static WorkflowLoadResult Read(string text, WorkflowLoadOptions options)
    {
        var reader = new WorkflowDefinitionReader(text, options);
        var workflow = reader.ReadWorkflow();
        var errors = reader._errors
            .OrderBy(e => e.Location?.Line ?? int.MaxValue)
            .ThenBy(e => e.Location?.Column ?? int.MaxValue)
            .ToArray();
        return new WorkflowLoadResult(errors.Length == 0 ? workflow : null, errors) { Description = reader._description };
    }

    private Workflow? ReadWorkflow()
    {
        var root = YamlSource.Parse(_text, _errors);
        if (root is null)
        {
            return null;
        }

        if (root is not YamlMappingNode mapping)
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"a workflow definition is a mapping with 'name', 'nodes' and optionally 'description', 'policy', " +
                $"'output' and 'edges', but this is {Scalars.Describe(root)}", null, root);
            return null;
        }

        var fields = Fields(mapping, string.Empty, RootFields, "the workflow");
        var name = ReadName(fields);
        _description = ReadString(fields, "description", "the workflow") is { } description && !string.IsNullOrWhiteSpace(description)
            ? description.Trim()
            : null;
        var policy = ReadPolicy(fields);
        var nodes = ReadNodes(fields);
        var edges = ReadEdges(fields);
        var outputs = ReadOutputs(fields, nodes);
        // Without a readable node list, or when no node could be read, the graph checks would only echo what is
        // reported already.
        if (nodes is not null && (nodes.Declared == 0 || nodes.Built.Count > 0))
        {
            CheckGraph(nodes, edges);
        }

        if (_errors.Count > 0 || name is null || nodes is null)
        {
            return null;
        }

        return new Workflow(name, policy, [.. nodes.Built.Select(n => n.Node)], edges, outputs)
        {
            PolicyDeclared = fields["policy"] is { } declared && !(declared is YamlScalarNode scalar && Scalars.IsNull(scalar)),
        };
    }

    private string? ReadName(YamlFields fields)
    {
        if (!fields.Has("name"))
        {
            Error(WorkflowErrorCodes.MissingField, "the workflow has no 'name': add one, such as 'name: review'",
                "name", fields.Mapping);
            return null;
        }

        var name = ReadString(fields, "name", "the workflow");
        if (name is null || !string.IsNullOrWhiteSpace(name))
        {
            return name;
        }

        Error(WorkflowErrorCodes.InvalidValue, "the workflow's 'name' is empty", "name", fields["name"]!);
        return null;
    }

    private List<string> ReadOutputs(YamlFields fields, NodeSet? nodes)
    {
        var outputs = new List<string>();
        var value = fields["output"];
        if (Scalars.IsNull(value))
        {
            return outputs;
        }

        List<(string Name, YamlScalarNode Node, string Path)>? names;
        if (value is YamlScalarNode single)
        {
            names = [(single.Value!, single, "output")];
        }
        else
        {
            names = ReadNames(fields, "output", "the workflow", "a node id or a list of node ids, such as [writer]");
        }

        foreach (var (id, node, path) in names ?? [])
        {
            if (nodes is not null && !nodes.Ids.Contains(id))
            {
                Error(WorkflowErrorCodes.UnknownNode,
                    $"output refers to unknown node '{id}' ({NameSuggestions.Hint(id, nodes.IdsInOrder)}known nodes: " +
                    $"{Known(nodes.IdsInOrder)})", path, node);
            }
            else if (outputs.Contains(id))
            {
                Error(WorkflowErrorCodes.InvalidValue, $"output lists node '{id}' twice", path, node);
            }
            else
            {
                outputs.Add(id);
            }
        }

        return outputs;
    }

    // The checks shared with WorkflowBuilder, their paths translated back to the definition's and their positions
    // refined to the exact value each one is about.
    private void CheckGraph(NodeSet nodes, List<WorkflowEdge> edges)
    {
        var errors = GraphValidator.Validate([.. nodes.Built.Select(n => n.Node)], edges);
        foreach (var error in errors)
        {
            var path = DefinitionPath(error.Path, nodes);
            if (path is not null && IsReported(path))
            {
                continue;
            }

            var location = path is not null && _locations.TryGetValue(path, out var at) ? at : error.Location;
            _errors.Add(error with { Path = path, Location = location ?? new SourceLocation(1, 1) });
        }
    }

    // GraphValidator numbers the nodes it was given; nodes that could not be built (no id) are not among them.
    private static string? DefinitionPath(string? path, NodeSet nodes)
    {
        if (path is null || NodePath().Match(path) is not { Success: true } match)
        {
            return path;
        }

        var index = int.Parse(match.Groups[1].ValueSpan, provider: System.Globalization.CultureInfo.InvariantCulture);
        return index < nodes.Built.Count ? $"nodes[{nodes.Built[index].Index}]{match.Groups[2].Value}" : path;
    }

    private bool IsReported(string path)
    {
        if (_reported.Contains(path))
        {
            return true;
        }

        var dot = path.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && _reported.Contains(path[..dot]);
    }

    private static string Known(IEnumerable<string> ids)
    {
        var list = ids.ToList();
        return list.Count == 0 ? "none"
            : list.Count <= 12 ? string.Join(", ", list)
            : string.Join(", ", list.Take(12)) + ", ...";
    }

    [GeneratedRegex(@"^nodes\[(\d+)\](.*)$")]
    private static partial Regex NodePath();

    /// <summary>The nodes of the definition: how many were declared, their ids, and those that could be built.</summary>
    private sealed class NodeSet
    {
        public int Declared { get; set; }

        public HashSet<string> Ids { get; } = new(StringComparer.Ordinal);

        public List<string> IdsInOrder { get; } = [];

        public List<(int Index, WorkflowNode Node)> Built { get; } = [];

        public void Add(string id)
        {
            if (Ids.Add(id))
            {
                IdsInOrder.Add(id);
            }
        }
    }
}
