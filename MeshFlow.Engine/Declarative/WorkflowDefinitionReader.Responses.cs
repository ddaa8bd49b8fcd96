using MeshFlow.Agents;
using MeshFlow.Diagnostics;
using MeshFlow.Workflows;
using YamlDotNet.RepresentationModel;

namespace MeshFlow.Declarative;

/// <summary>Reading a scripted agent's <c>responses:</c>: text, or <c>{ tool_call: { name, arguments } }</c>.</summary>
internal sealed partial class WorkflowDefinitionReader
{
    private const string ToolCallExample = "{ tool_call: { name: search, arguments: { q: x } } }";

    private static readonly string[] ResponseFields = ["tool_call"];
    private static readonly string[] ToolCallFields = ["name", "arguments"];

    /// <summary>
    /// The responses; null when absent or when one is wrong (reported). A tool call must name one of
    /// <paramref name="declared"/>, the node's tools; null leaves the name unchecked (the tools were unreadable).
    /// </summary>
    private List<ScriptedResponse>? ReadResponses(YamlFields fields, string where, IReadOnlyList<string>? declared)
    {
        var value = fields["responses"];
        if (Scalars.IsNull(value))
        {
            return null;
        }

        if (value is not YamlSequenceNode sequence)
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'responses' of {where} must be a list of responses, such as [REVISE, APPROVED], but is {Scalars.Describe(value!)}",
                fields.PathOf("responses"), value!);
            return null;
        }

        var responses = new List<ScriptedResponse>(sequence.Children.Count);
        var valid = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var path = $"{fields.PathOf("responses")}[{i}]";
            var entry = $"entry {i + 1} of 'responses' of {where}";
            Track(path, item);
            ScriptedResponse? response = item switch
            {
                YamlScalarNode scalar when !Scalars.IsNull(scalar) => scalar.Value!,
                YamlMappingNode mapping => ReadToolCall(mapping, path, entry, declared),
                _ => null,
            };
            if (response is null && item is not YamlMappingNode)
            {
                Error(WorkflowErrorCodes.InvalidValue,
                    $"{entry} must be a string, or a tool call such as {ToolCallExample}, but is {Scalars.Describe(item)}", path, item);
            }

            valid &= response is not null;
            if (response is not null)
            {
                responses.Add(response);
            }
        }

        return valid ? responses : null;
    }

    private ScriptedResponse? ReadToolCall(YamlMappingNode mapping, string path, string entry, IReadOnlyList<string>? declared)
    {
        var fields = Fields(mapping, path, ResponseFields, entry);
        if (!fields.Has("tool_call"))
        {
            // Any other key is reported as unknown already; only an empty mapping says nothing at all.
            if (mapping.Children.Count == 0)
            {
                Error(WorkflowErrorCodes.MissingField,
                    $"{entry} is an empty mapping: a response is text, or a tool call such as {ToolCallExample}", path, mapping);
            }

            return null;
        }

        var callPath = fields.PathOf("tool_call");
        if (fields["tool_call"] is not YamlMappingNode call)
        {
            var found = fields["tool_call"]!;
            Error(WorkflowErrorCodes.InvalidValue,
                $"'tool_call' of {entry} must be a mapping with the tool's 'name' and its 'arguments', such as " +
                $"{{ name: search, arguments: {{ q: x }} }}, but is {Scalars.Describe(found)}",
                callPath, Scalars.IsNull(found) ? fields.KeyOf("tool_call")! : found);
            return null;
        }

        var where = $"the tool_call of {entry}";
        var callFields = Fields(call, callPath, ToolCallFields, where);
        var name = ReadToolCallName(callFields, where, declared);
        var arguments = ReadArguments(callFields, where);
        var argumentsWrong = arguments is null && !Scalars.IsNull(callFields["arguments"]);
        return name is null || argumentsWrong
            ? null
            : ScriptedResponse.ToolCall(name, arguments ?? new Dictionary<string, object?>(StringComparer.Ordinal));
    }

    private string? ReadToolCallName(YamlFields fields, string where, IReadOnlyList<string>? declared)
    {
        if (!fields.Has("name"))
        {
            Error(WorkflowErrorCodes.MissingField, $"{where} has no 'name': add the tool to call, such as 'name: search'",
                fields.PathOf("name"), fields.Mapping);
            return null;
        }

        var scalar = ReadScalar(fields, "name", where, "a tool name");
        if (scalar is null || string.IsNullOrWhiteSpace(scalar.Value))
        {
            if (scalar is not null || Scalars.IsNull(fields["name"]))
            {
                Error(WorkflowErrorCodes.InvalidValue, $"'name' of {where} is empty: name the tool to call",
                    fields.PathOf("name"), (YamlNode?)scalar ?? fields.KeyOf("name")!);
            }

            return null;
        }

        var name = scalar.Value;
        if (declared is null || declared.Contains(name, StringComparer.Ordinal))
        {
            return name;
        }

        Error(WorkflowErrorCodes.UnknownTool, declared.Count == 0
                ? $"tool '{name}' in {where} is not one of the node's tools: it declares none (add 'tools: [{name}]')"
                : $"tool '{name}' in {where} is not one of the node's tools ({NameSuggestions.Hint(name, declared)}declared: " +
                  $"{string.Join(", ", declared)})",
            fields.PathOf("name"), scalar);
        return null;
    }
}
