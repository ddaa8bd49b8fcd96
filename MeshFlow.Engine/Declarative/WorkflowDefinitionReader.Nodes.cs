using MeshFlow.Agents;
using MeshFlow.Diagnostics;
using MeshFlow.Governance.Risk;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;
using YamlDotNet.RepresentationModel;

namespace MeshFlow.Declarative;

/// <summary>Reading <c>nodes:</c>.</summary>
internal sealed partial class WorkflowDefinitionReader
{
    private const string KindList = "agent, native, tool, router, human, rag";
    private const int MaxArgumentValues = 10_000;

    private static readonly string[] AgentFields =
        ["id", "kind", "role", "risk", "agent_id", "instructions", "model", "provider", "responses", "tools", "temperature", "max_output_tokens", "memory"];

    private static readonly string[] ToolFields = ["id", "kind", "role", "risk", "tool", "arguments"];
    private static readonly string[] RouterFields = ["id", "kind", "role", "risk"];

    // A person decides, so nothing of a model or a tool applies: each such field is reported as belonging elsewhere.
    private static readonly string[] HumanFields = ["id", "kind", "role", "risk", "instructions"];
    private static readonly string[] AnyNodeFields = [.. AgentFields.Union(ToolFields).Union(RouterFields).Union(HumanFields).Union(RagFields)];
    private static readonly string[] Kinds = ["agent", "native", "tool", "router", "human", "rag"];

    private enum DeclaredKind
    {
        Agent,
        Tool,
        Router,
        Human,
        Rag,
        Invalid,
    }

    private NodeSet? ReadNodes(YamlFields root)
    {
        var value = root["nodes"];
        if (value is null)
        {
            Error(WorkflowErrorCodes.MissingField, "the workflow has no 'nodes': add a list of at least one node",
                "nodes", root.Mapping);
            return null;
        }

        if (value is not YamlSequenceNode sequence)
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'nodes' must be a list of nodes, such as [{{ id: writer }}], but is {Scalars.Describe(value)}",
                "nodes", Scalars.IsNull(value) ? root.KeyOf("nodes")! : value);
            return null;
        }

        var nodes = new NodeSet { Declared = sequence.Children.Count };
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (ReadNode(sequence.Children[i], i, nodes) is { } node)
            {
                nodes.Built.Add((i, node));
            }
        }

        return nodes;
    }

    private WorkflowNode? ReadNode(YamlNode item, int index, NodeSet nodes)
    {
        var path = $"nodes[{index}]";
        Track(path, item);
        if (item is not YamlMappingNode mapping)
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"node {index + 1} must be a mapping with at least an 'id', such as {{ id: writer }}, but is " +
                Scalars.Describe(item), path, item);
            return null;
        }

        var fields = Fields(mapping, path, null, $"node {index + 1}");
        var (id, idNode) = ReadId(fields, index);
        if (id is not null)
        {
            nodes.Add(id);
        }

        var where = id is null ? $"node {index + 1}" : $"node '{id}'";
        var kind = ReadKind(fields, where);
        switch (kind)
        {
            case DeclaredKind.Agent:
                CheckFields(fields, AgentFields, where, name => KindOwning(name, DeclaredKind.Agent));
                break;
            case DeclaredKind.Tool:
                CheckFields(fields, ToolFields, where, name => KindOwning(name, DeclaredKind.Tool));
                break;
            case DeclaredKind.Router:
                CheckFields(fields, RouterFields, where, name => KindOwning(name, DeclaredKind.Router));
                break;
            case DeclaredKind.Human:
                CheckFields(fields, HumanFields, where, name => KindOwning(name, DeclaredKind.Human));
                break;
            case DeclaredKind.Rag:
                CheckFields(fields, RagFields, where, name => KindOwning(name, DeclaredKind.Rag));
                break;
            default:
                CheckFields(fields, AnyNodeFields, where);
                break;
        }

        var role = ReadString(fields, "role", where);
        var risk = ReadTier(fields, "risk", where);
        var location = YamlSource.At(((YamlNode?)idNode ?? mapping).Start);
        WorkflowNode? node = kind switch
        {
            DeclaredKind.Agent => ReadAgent(fields, id, where, role, risk, location),
            DeclaredKind.Tool => ReadTool(fields, id, where, role, risk, location),
            DeclaredKind.Human => ReadHuman(fields, id, where, role, risk, location),
            DeclaredKind.Rag => ReadRag(fields, id, where, role, risk, location),
            _ => null,
        };

        // A node whose kind or tool is wrong still takes part in the graph checks, as a router, so that edges
        // naming it are not reported as unknown.
        return node ?? (id is null ? null : new RouterNode(id) { Role = role, Risk = risk, Location = location });
    }

    private (string? Id, YamlScalarNode? Node) ReadId(YamlFields fields, int index)
    {
        if (!fields.Has("id"))
        {
            Error(WorkflowErrorCodes.MissingField, $"node {index + 1} has no 'id': add one, such as 'id: writer'",
                fields.PathOf("id"), fields.Mapping);
            return (null, null);
        }

        var scalar = ReadScalar(fields, "id", $"node {index + 1}", "a string such as 'writer'");
        if (scalar is not null && !string.IsNullOrWhiteSpace(scalar.Value))
        {
            return (scalar.Value, scalar);
        }

        if (scalar is not null || Scalars.IsNull(fields["id"]))
        {
            Error(WorkflowErrorCodes.InvalidValue, $"node {index + 1} has an empty 'id'", fields.PathOf("id"),
                (YamlNode?)scalar ?? fields.KeyOf("id")!);
        }

        return (null, scalar);
    }

    private DeclaredKind ReadKind(YamlFields fields, string where)
    {
        if (!fields.Has("kind"))
        {
            return DeclaredKind.Agent;
        }

        if (ReadScalar(fields, "kind", where, $"one of {KindList}") is not { } scalar)
        {
            if (Scalars.IsNull(fields["kind"]))
            {
                Error(WorkflowErrorCodes.UnknownNodeKind, $"{where} has an empty 'kind' (expected {KindList})",
                    fields.PathOf("kind"), fields.KeyOf("kind")!);
            }

            return DeclaredKind.Invalid;
        }

        var kind = scalar.Value!;
        switch (kind)
        {
            case "agent" or "native":
                return DeclaredKind.Agent;
            case "tool":
                return DeclaredKind.Tool;
            case "router":
                return DeclaredKind.Router;
            case "human":
                return DeclaredKind.Human;
            case "rag":
                return DeclaredKind.Rag;
        }

        var message = kind switch
        {
            "function" =>
                $"node kind 'function' of {where} cannot be declared in a definition: function nodes run .NET code " +
                $"and are added with WorkflowBuilder.AddFunction (available kinds: {KindList})",
            _ => $"unknown node kind '{kind}' of {where} ({NameSuggestions.Hint(kind, Kinds)}expected one of {KindList})",
        };
        Error(WorkflowErrorCodes.UnknownNodeKind, message, fields.PathOf("kind"), scalar);
        return DeclaredKind.Invalid;
    }

    private static string? KindOwning(string field, DeclaredKind kind) =>
        kind != DeclaredKind.Agent && AgentFields.Contains(field) ? "agent nodes"
        : kind != DeclaredKind.Tool && ToolFields.Contains(field) ? "tool nodes (kind: tool)"
        : kind != DeclaredKind.Rag && RagFields.Contains(field) ? "rag nodes (kind: rag)"
        : null;

    private AgentNode? ReadAgent(YamlFields fields, string? id, string where, string? role, RiskTier risk, SourceLocation location)
    {
        var agentId = ReadString(fields, "agent_id", where);
        var instructions = ReadString(fields, "instructions", where);
        var (model, fallbacks) = ReadModels(fields, where);
        var provider = ReadString(fields, "provider", where);
        var toolEntries = ReadToolEntries(fields, where);
        var declared = Scalars.IsNull(fields["tools"]) ? [] : toolEntries?.Declared;
        var responses = ReadResponses(fields, where, declared);
        var temperature = ReadNumber(fields, "temperature", where, 0, 2);
        var maxOutputTokens = ReadInteger(fields, "max_output_tokens", where, 1, int.MaxValue);
        var memory = ReadMemory(fields, where);

        var scripted = model == ModelNames.Scripted;
        if (responses is not null && !scripted)
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'responses' of {where} only apply to model: {ModelNames.Scripted}, but the node uses " +
                (model is null ? "the default model" : $"model '{model}'") + $" (set 'model: {ModelNames.Scripted}' or remove 'responses')",
                fields.PathOf("responses"), fields["responses"]!);
        }
        else if (scripted && Scalars.IsNull(fields["responses"]))
        {
            Error(WorkflowErrorCodes.MissingField,
                $"{where} uses model: {ModelNames.Scripted} but has no 'responses': add the answers to replay, in " +
                "order, such as 'responses: [REVISE, APPROVED]'", fields.PathOf("responses"), fields.Mapping);
        }
        else if (scripted && responses is { Count: 0 })
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'responses' of {where} is empty: model: {ModelNames.Scripted} needs at least one response",
                fields.PathOf("responses"), fields["responses"]!);
        }

        var tools = ResolveAgentTools(toolEntries, where);
        return id is null
            ? null
            : new AgentNode(id)
            {
                Role = role,
                Risk = risk,
                Location = location,
                AgentId = agentId!,
                Instructions = instructions,
                Model = model,
                Provider = provider,
                FallbackModels = fallbacks,
                Responses = responses ?? [],
                Tools = tools,
                Temperature = temperature is { } t ? (float)t : null,
                MaxOutputTokens = maxOutputTokens is { } m ? (int)m : null,
                Memory = memory,
            };
    }

    private ToolNode? ReadTool(YamlFields fields, string? id, string where, string? role, RiskTier risk, SourceLocation location)
    {
        string? toolName = null;
        AIFunction? tool = null;
        if (!fields.Has("tool"))
        {
            Error(WorkflowErrorCodes.MissingField,
                $"{where} is a tool node but has no 'tool': add the name of the tool it calls, such as 'tool: search'",
                fields.PathOf("tool"), fields.Mapping);
        }
        else if (fields["tool"] is YamlScalarNode scalar)
        {
            if (Scalars.IsNull(scalar) || string.IsNullOrWhiteSpace(scalar.Value))
            {
                Error(WorkflowErrorCodes.InvalidValue, $"'tool' of {where} is empty: name the tool the node calls",
                    fields.PathOf("tool"), Scalars.IsNull(scalar) ? fields.KeyOf("tool")! : scalar);
            }
            else
            {
                toolName = scalar.Value;
                tool = ResolveTool(toolName, scalar, fields.PathOf("tool"), where);
            }
        }
        else
        {
            ReadScalar(fields, "tool", where, "a tool name");
        }

        var arguments = ReadArguments(fields, where);
        if (id is null || toolName is null)
        {
            return null;
        }

        arguments ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        return tool is not null
            ? new ToolNode(id, tool) { Role = role, Risk = risk, Location = location, Arguments = arguments }
            : new ToolNode(id, toolName) { Role = role, Risk = risk, Location = location, Arguments = arguments };
    }

    private HumanNode? ReadHuman(YamlFields fields, string? id, string where, string? role, RiskTier risk, SourceLocation location)
    {
        string? instructions = null;
        if (!fields.Has("instructions"))
        {
            Error(WorkflowErrorCodes.MissingField,
                $"{where} is a human node but has no 'instructions': add what the reviewer should check, such as " +
                "'instructions: Approve the clause before it is sent'", fields.PathOf("instructions"), fields.Mapping);
        }
        else if (fields["instructions"] is YamlScalarNode scalar)
        {
            if (Scalars.IsNull(scalar) || string.IsNullOrWhiteSpace(scalar.Value))
            {
                Error(WorkflowErrorCodes.InvalidValue, $"'instructions' of {where} is empty: say what the reviewer should check",
                    fields.PathOf("instructions"), Scalars.IsNull(scalar) ? fields.KeyOf("instructions")! : scalar);
            }
            else
            {
                instructions = scalar.Value;
            }
        }
        else
        {
            ReadScalar(fields, "instructions", where, "a string");
        }

        return id is null || instructions is null
            ? null
            : new HumanNode(id, instructions) { Role = role, Risk = risk, Location = location };
    }

    /// <summary>
    /// The registered tool named <paramref name="name"/>; null, and reported, when tools are given and it is not
    /// among them; null when no tools are given.
    /// </summary>
    private AIFunction? ResolveTool(string name, YamlScalarNode node, string path, string where)
    {
        if (_options.Tools is not { } registered)
        {
            return null;
        }

        if (registered.TryGetValue(name, out var tool))
        {
            return tool;
        }

        var names = registered.Keys.Order(StringComparer.Ordinal).ToList();
        Error(WorkflowErrorCodes.UnknownTool,
            $"unknown tool '{name}' in {where} ({NameSuggestions.Hint(name, names)}registered tools: " +
            $"{(names.Count == 0 ? "none" : string.Join(", ", names))})", path, node);
        return null;
    }

    private Dictionary<string, object?>? ReadArguments(YamlFields fields, string where)
    {
        var value = fields["arguments"];
        if (Scalars.IsNull(value))
        {
            return null;
        }

        if (value is not YamlMappingNode mapping)
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'arguments' of {where} must be a mapping of argument names to values, such as {{ top: 3 }}, but is " +
                Scalars.Describe(value!), fields.PathOf("arguments"), value!);
            return null;
        }

        var budget = MaxArgumentValues;
        var arguments = ToMapping(mapping, fields.PathOf("arguments"), where, ref budget);
        if (budget < 0)
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'arguments' of {where} are too large: at most {MaxArgumentValues} values", fields.PathOf("arguments"), mapping);
            return null;
        }

        return arguments;
    }

    private Dictionary<string, object?> ToMapping(YamlMappingNode mapping, string path, string where, ref int budget)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode name || Scalars.IsNull(name))
            {
                Error(WorkflowErrorCodes.InvalidValue,
                    $"an argument name in {where} must be a plain name, but is {Scalars.Describe(key)}", null, key);
                continue;
            }

            var argumentPath = $"{path}.{name.Value}";
            Track(argumentPath, value);
            result[name.Value!] = ToValue(value, argumentPath, where, ref budget);
        }

        return result;
    }

    private object? ToValue(YamlNode node, string path, string where, ref int budget)
    {
        if (--budget < 0)
        {
            return null;
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                return Scalars.Infer(scalar);
            case YamlSequenceNode sequence:
                var list = new List<object?>(sequence.Children.Count);
                for (var i = 0; i < sequence.Children.Count && budget >= 0; i++)
                {
                    list.Add(ToValue(sequence.Children[i], $"{path}[{i}]", where, ref budget));
                }

                return list;
            case YamlMappingNode mapping:
                return ToMapping(mapping, path, where, ref budget);
            default:
                return null;
        }
    }
}
