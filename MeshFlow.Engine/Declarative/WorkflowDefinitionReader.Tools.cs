using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFlow.Tools;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;
using YamlDotNet.RepresentationModel;

namespace MeshFlow.Declarative;

/// <summary>
/// Reading an agent's <c>tools:</c>: names of registered tools, or declarations that name one and give the schema the
/// model sees and every call is checked against (<c>{name: lookup, description: ..., input_schema: {type: object, ...}}</c>).
/// </summary>
internal sealed partial class WorkflowDefinitionReader
{
    private const int MaxSchemaValues = 10_000;
    private const string ToolsExpected = "a list of tool names or tool declarations, such as [search, { name: lookup, input_schema: { type: object } }]";
    private static readonly string[] ToolDeclarationFields = ["name", "description", "input_schema"];

    /// <summary>One entry of an agent's <c>tools:</c>: a registered tool's name, and what the definition declares of it.</summary>
    private sealed record ToolEntry(string Name, YamlScalarNode NameNode, string Path, JsonElement? InputSchema, string? Description);

    /// <summary>The readable entries of an agent's <c>tools:</c>, and whether every entry was.</summary>
    private sealed record ToolEntries(List<ToolEntry> Readable, bool Complete)
    {
        /// <summary>The names the agent declares; null when an entry could not be read, so that no name is judged against a partial list.</summary>
        public List<string>? Declared => Complete ? [.. Readable.Select(e => e.Name)] : null;
    }

    /// <summary>The entries of an agent's <c>tools:</c>; null when absent or not a list (each problem is reported).</summary>
    private ToolEntries? ReadToolEntries(YamlFields fields, string where)
    {
        var value = fields["tools"];
        if (Scalars.IsNull(value))
        {
            return null;
        }

        if (value is not YamlSequenceNode sequence)
        {
            Error(WorkflowErrorCodes.InvalidValue, $"'tools' of {where} must be {ToolsExpected}, but is {Scalars.Describe(value!)}",
                fields.PathOf("tools"), value!);
            return null;
        }

        var entries = new List<ToolEntry>();
        var valid = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var path = $"{fields.PathOf("tools")}[{i}]";
            Track(path, item);
            var entry = item switch
            {
                YamlScalarNode scalar when !Scalars.IsNull(scalar) => new ToolEntry(scalar.Value!, scalar, path, null, null),
                YamlMappingNode mapping => ReadToolDeclaration(mapping, path, $"tool {i + 1} of {where}", where),
                _ => null,
            };

            if (entry is null && item is not YamlMappingNode)
            {
                Error(WorkflowErrorCodes.InvalidValue,
                    $"entry {i + 1} of 'tools' of {where} must be a tool name or a mapping with 'name' and 'input_schema', but is {Scalars.Describe(item)}",
                    path, item);
            }

            valid &= entry is not null;
            if (entry is not null)
            {
                entries.Add(entry);
            }
        }

        return new ToolEntries(entries, valid);
    }

    /// <summary>The agent's tools: each registered one (or a reference to it), under the schema the definition declares.</summary>
    private List<AITool> ResolveAgentTools(ToolEntries? entries, string where)
    {
        var tools = new List<AITool>();
        foreach (var entry in entries?.Readable ?? [])
        {
            AIFunction? tool = ResolveTool(entry.Name, entry.NameNode, entry.Path, where);
            if (tool is null && _options.Tools is null)
            {
                tool = new NamedToolReference(entry.Name);
            }

            if (tool is not null)
            {
                tools.Add(entry.InputSchema is null && entry.Description is null ? tool : new InputSchemaFunction(tool, entry.InputSchema, entry.Description));
            }
        }

        return tools;
    }

    private ToolEntry? ReadToolDeclaration(YamlMappingNode mapping, string path, string what, string where)
    {
        var fields = Fields(mapping, path, ToolDeclarationFields, what);
        if (!fields.Has("name"))
        {
            Error(WorkflowErrorCodes.MissingField, $"{what} has no 'name': add the registered tool it declares, such as 'name: lookup'",
                fields.PathOf("name"), mapping);
            return null;
        }

        var nameNode = ReadScalar(fields, "name", what, "a tool name");
        if (nameNode is null || string.IsNullOrWhiteSpace(nameNode.Value))
        {
            if (nameNode is not null || Scalars.IsNull(fields["name"]))
            {
                Error(WorkflowErrorCodes.InvalidValue, $"{what} has an empty 'name'", fields.PathOf("name"), (YamlNode?)nameNode ?? fields.KeyOf("name")!);
            }

            return null;
        }

        var name = nameNode.Value;
        var description = ReadString(fields, "description", $"tool '{name}' in {where}");
        var schema = ReadInputSchema(fields, $"tool '{name}' in {where}");
        return schema is { Valid: false } ? null : new ToolEntry(name, nameNode, fields.PathOf("name"), schema?.Schema, description);
    }

    /// <summary>A declaration's <c>input_schema</c>: null when absent; reported at the offending value when it is not a valid JSON Schema of an object.</summary>
    private (JsonElement? Schema, bool Valid)? ReadInputSchema(YamlFields fields, string what)
    {
        var value = fields["input_schema"];
        if (value is null)
        {
            return null;
        }

        var path = fields.PathOf("input_schema");
        if (value is not YamlMappingNode mapping)
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'input_schema' of {what} must be a JSON Schema object, such as {{ type: object, properties: {{ query: {{ type: string }} }} }}, but is " +
                Scalars.Describe(value), path, Scalars.IsNull(value) ? fields.KeyOf("input_schema")! : value);
            return (null, false);
        }

        var budget = MaxSchemaValues;
        var json = ToJson(mapping, ref budget, out var keyProblem);
        if (keyProblem is not null || budget < 0)
        {
            Error(WorkflowErrorCodes.InvalidValue, budget < 0
                    ? $"'input_schema' of {what} is too large: at most {MaxSchemaValues} values"
                    : $"a name in the 'input_schema' of {what} must be a plain name, but is {Scalars.Describe(keyProblem!)}",
                path, (YamlNode?)keyProblem ?? mapping);
            return (null, false);
        }

        var schema = JsonSerializer.SerializeToElement(json);
        if (ToolInputSchema.DeclaredProblem(schema) is not { } problem)
        {
            return (schema, true);
        }

        Error(WorkflowErrorCodes.InvalidValue, $"'input_schema' of {what} is not a valid JSON Schema: {problem}", path, At(mapping, problem.Pointer));
        return (null, false);
    }

    // YAML to JSON as YAML's core schema reads scalars: plain ones may be numbers, booleans or null; quoted ones are text.
    private static JsonNode? ToJson(YamlNode node, ref int budget, out YamlNode? keyProblem)
    {
        keyProblem = null;
        if (--budget < 0)
        {
            return null;
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name } scalar || Scalars.IsNull(scalar))
                    {
                        keyProblem = key;
                        return null;
                    }

                    obj[name] = ToJson(value, ref budget, out keyProblem);
                    if (keyProblem is not null || budget < 0)
                    {
                        return null;
                    }
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(ToJson(item, ref budget, out keyProblem));
                    if (keyProblem is not null || budget < 0)
                    {
                        return null;
                    }
                }

                return array;
            case YamlScalarNode scalar:
                return Scalars.Infer(scalar) switch
                {
                    null => null,
                    bool flag => JsonValue.Create(flag),
                    long integer => JsonValue.Create(integer),
                    double number => JsonValue.Create(number),
                    var text => JsonValue.Create(Convert.ToString(text, CultureInfo.InvariantCulture)),
                };
            default:
                return null;
        }
    }

    // The value a JSON Pointer into the schema names, for the position of a problem; the nearest one found on the way.
    private static YamlNode At(YamlNode schema, string pointer)
    {
        var node = schema;
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            YamlNode? next = node switch
            {
                YamlMappingNode mapping => mapping.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: var key } && key == name).Value,
                YamlSequenceNode sequence when int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < sequence.Children.Count =>
                    sequence.Children[index],
                _ => null,
            };

            if (next is null)
            {
                break;
            }

            node = next;
        }

        return node;
    }
}
