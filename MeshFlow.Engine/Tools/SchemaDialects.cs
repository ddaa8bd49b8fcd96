using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace MeshFlow.Tools;

/// <summary>The JSON Schema draft a tool's schema is written in, by the <c>$schema</c> it declares: draft 2020-12 unless it says otherwise.</summary>
/// <remarks>
/// Tools from elsewhere (an MCP server, say) often declare draft-07, whose <c>items</c> and <c>definitions</c> draft
/// 2020-12 reads differently: such a schema is checked against its own draft's meta-schema, and compiled as that draft.
/// </remarks>
internal static class SchemaDialects
{
    private static readonly (string Id, JsonSchema MetaSchema)[] Known =
    [
        (Normalize(MetaSchemas.Draft6Id.OriginalString), MetaSchemas.Draft6),
        (Normalize(MetaSchemas.Draft7Id.OriginalString), MetaSchemas.Draft7),
        (Normalize(MetaSchemas.Draft201909Id.OriginalString), MetaSchemas.Draft201909),
        (Normalize(MetaSchemas.Draft202012Id.OriginalString), MetaSchemas.Draft202012),
    ];

    /// <summary>The meta-schema <paramref name="schema"/> is checked against, and the schema to compile.</summary>
    public static (JsonSchema MetaSchema, JsonElement Schema) Of(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("$schema", out var declared) || declared.ValueKind != JsonValueKind.String)
        {
            return (MetaSchemas.Draft202012, schema);
        }

        var id = Normalize(declared.GetString()!);
        foreach (var (known, metaSchema) in Known)
        {
            if (string.Equals(id, known, StringComparison.OrdinalIgnoreCase))
            {
                return (metaSchema, schema);
            }
        }

        // A draft JsonSchema.Net does not know (draft-04, say) is read as draft 2020-12, which reads most of it alike,
        // rather than refused for its name.
        var undeclared = JsonNode.Parse(schema.GetRawText())!.AsObject();
        undeclared.Remove("$schema");
        return (MetaSchemas.Draft202012, JsonSerializer.SerializeToElement(undeclared));
    }

    // Ids are written with or without the empty fragment, and with either scheme (compared without regard to case).
    private static string Normalize(string id) => id.TrimEnd('#').Replace("https://", "http://", StringComparison.OrdinalIgnoreCase);
}
