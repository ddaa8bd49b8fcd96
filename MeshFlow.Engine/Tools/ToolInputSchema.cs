using System.Collections.Concurrent;
using System.Text.Json;
using Json.Schema;

namespace MeshFlow.Tools;

/// <summary>
/// A tool's input schema compiled for checking calls against (JsonSchema.Net), or why it cannot be: it must be valid
/// against its draft's meta-schema (<see cref="SchemaDialects"/>) and compile; a declared one must also be an object
/// schema (<see cref="DeclaredProblem"/>).
/// </summary>
/// <remarks>
/// Compiled once per schema text and kept (a few hundred at most), since every call of a tool is checked against the
/// same schema. A compiled schema is only read by an evaluation, so concurrent calls share it.
/// </remarks>
internal sealed class ToolInputSchema
{
    private const int MaxCached = 256;
    private const int MaxProblems = 3;
    private static readonly ConcurrentDictionary<string, ToolInputSchema> Compiled = new(StringComparer.Ordinal);
    private static readonly EvaluationOptions Hierarchical = new() { OutputFormat = OutputFormat.Hierarchical };

    private readonly JsonSchema? _schema;

    private ToolInputSchema(JsonSchema? schema, ToolSchemaProblem? problem)
    {
        _schema = schema;
        Problem = problem;
    }

    /// <summary>Why the schema cannot check calls; null when it can.</summary>
    public ToolSchemaProblem? Problem { get; }

    /// <summary>The compiled schema for <paramref name="schema"/>, or its problem.</summary>
    public static ToolInputSchema For(JsonElement schema)
    {
        var text = schema.GetRawText();
        if (Compiled.TryGetValue(text, out var known))
        {
            return known;
        }

        var compiled = Compile(schema);
        if (Compiled.Count >= MaxCached)
        {
            // Tools are few; a host that makes schemas without end pays a compile per call instead of holding them all.
            Compiled.Clear();
        }

        return Compiled.GetOrAdd(text, compiled);
    }

    /// <summary>
    /// What is wrong with <paramref name="arguments"/> by the schema: each problem as <c>/path: what</c> (at most a few),
    /// or an empty list when they are valid.
    /// </summary>
    public IReadOnlyList<string> Check(JsonElement arguments)
    {
        if (_schema is null)
        {
            return [];
        }

        var results = _schema.Evaluate(arguments, Hierarchical);
        var problems = new List<(string Pointer, string Message)>();
        Collect(results, problems);
        var lines = problems.Take(MaxProblems).Select(p => p.Pointer.Length == 0 ? p.Message : $"{p.Pointer}: {p.Message}").ToList();
        if (problems.Count > MaxProblems)
        {
            lines.Add($"and {problems.Count - MaxProblems} more");
        }

        return lines;
    }

    /// <summary>
    /// Why <paramref name="schema"/> cannot be declared as a tool's input schema, or null when it can: beyond compiling,
    /// a declared schema must be an object schema, since a tool is called with an object of named arguments.
    /// </summary>
    /// <remarks>
    /// Only declared schemas are held to <c>"type": "object"</c>: a tool written by hand that states no schema has the
    /// empty one (<c>{}</c>), which accepts any arguments, and runs as it always has.
    /// </remarks>
    public static ToolSchemaProblem? DeclaredProblem(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return new ToolSchemaProblem(
                $"a tool's input schema must be a JSON object, such as {{\"type\": \"object\", \"properties\": {{...}}}}, but is {Describe(schema)}", string.Empty);
        }

        if (!schema.TryGetProperty("type", out var type))
        {
            return new ToolSchemaProblem("a tool's input schema must have \"type\": \"object\" (its arguments are an object), but has no type", string.Empty);
        }

        if (type.ValueKind != JsonValueKind.String || type.GetString() != "object")
        {
            return new ToolSchemaProblem($"a tool's input schema must have \"type\": \"object\" (its arguments are an object), but has {Describe(type)}", "/type");
        }

        return For(schema).Problem;
    }

    private static ToolInputSchema Compile(JsonElement schema)
    {
        // The meta-schema says where a problem is; compiling says it best in words, so both are asked.
        (var metaSchema, schema) = SchemaDialects.Of(schema);
        var meta = metaSchema.Evaluate(schema, Hierarchical);
        var metaProblems = new List<(string Pointer, string Message)>();
        if (!meta.IsValid)
        {
            Collect(meta, metaProblems);
        }

        var pointer = metaProblems.Count > 0 ? metaProblems[0].Pointer : string.Empty;
        try
        {
            // A registry of its own: the shared one would keep every schema ever compiled.
            var compiled = JsonSchema.Build(schema, new BuildOptions { Dialect = Dialect.Draft202012, SchemaRegistry = new SchemaRegistry() });
            return metaProblems.Count > 0 ? Invalid(metaProblems[0].Message, pointer) : new ToolInputSchema(compiled, null);
        }
        catch (Exception ex) when (ex is JsonSchemaException or JsonException or ArgumentException or InvalidOperationException)
        {
            return Invalid(ex.Message, pointer);
        }
    }

    private static ToolInputSchema Invalid(string message, string pointer) => new(null, new ToolSchemaProblem(message, pointer));

    // Only failing branches are followed: an anyOf that passed has failing alternatives that are not problems.
    private static void Collect(EvaluationResults results, List<(string Pointer, string Message)> problems)
    {
        if (results.IsValid)
        {
            return;
        }

        if (results.Errors is { Count: > 0 } errors)
        {
            var pointer = results.InstanceLocation.ToString();
            foreach (var (_, message) in errors)
            {
                if (!problems.Contains((pointer, message)))
                {
                    problems.Add((pointer, message));
                }
            }
        }

        foreach (var detail in results.Details ?? [])
        {
            Collect(detail, problems);
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => $"the string '{value.GetString()}'",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => "nothing",
    };
}
