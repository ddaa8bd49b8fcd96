using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFlow.Tools;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Tools;

public sealed class ToolSchemaTests
{
    public enum Priority
    {
        Low,
        High,
    }

    public sealed record Address(string Street, [property: Description("Postal code")] string? Zip = null);

    // The C# tools whose schemas are pinned: one parameter shape each.
    private static class Shapes
    {
        public static string Optional(string query, int limit = 10) => $"{query}:{limit}";

        public static string Listed(List<string> tags) => string.Join(",", tags);

        public static string Counted(Dictionary<string, int> weights) => string.Join(",", weights.Select(w => $"{w.Key}={w.Value}"));

        public static string Prioritized(Priority priority) => priority.ToString();

        public static string Shipped(Address address) => address.Street;

        [Description("Finds precedent for a clause.")]
        public static string Described([Description("The clause to look up")] string clause) => clause;

        public static string Paged(int? page) => page?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
    }

    private static AIFunction Tool(string method) =>
        AIFunctionFactory.Create(typeof(Shapes).GetMethod(method)!, target: null);

    private static void AssertSchema(string expected, JsonElement actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual.GetRawText())),
            $"expected {expected}\nbut the schema is {actual.GetRawText()}");

    [Theory]
    [InlineData(nameof(Shapes.Optional),
        """{"type":"object","properties":{"query":{"type":"string"},"limit":{"type":"integer","default":10}},"required":["query"]}""")]
    [InlineData(nameof(Shapes.Listed),
        """{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"}}},"required":["tags"]}""")]
    [InlineData(nameof(Shapes.Counted),
        """{"type":"object","properties":{"weights":{"type":"object","additionalProperties":{"type":"integer"}}},"required":["weights"]}""")]
    [InlineData(nameof(Shapes.Prioritized),
        """{"type":"object","properties":{"priority":{"type":"string","enum":["Low","High"]}},"required":["priority"]}""")]
    [InlineData(nameof(Shapes.Shipped),
        """
        {"type":"object","properties":{"address":{"type":"object","properties":{
          "street":{"type":"string"},
          "zip":{"description":"Postal code","type":["string","null"],"default":null}},"required":["street"]}},"required":["address"]}
        """)]
    [InlineData(nameof(Shapes.Described),
        """{"type":"object","properties":{"clause":{"description":"The clause to look up","type":"string"}},"required":["clause"]}""")]
    [InlineData(nameof(Shapes.Paged),
        """{"type":"object","properties":{"page":{"type":["integer","null"]}},"required":["page"]}""")]
    public void A_csharp_tools_parameters_give_its_exact_schema(string method, string expected) =>
        AssertSchema(expected, Tool(method).JsonSchema);

    [Fact]
    public void A_methods_description_is_the_tools_description()
    {
        Assert.Equal("Finds precedent for a clause.", Tool(nameof(Shapes.Described)).Description);
    }

    [Fact]
    public async Task An_enum_member_name_binds_back_without_any_configuration()
    {
        var result = await Tool(nameof(Shapes.Prioritized)).InvokeAsync(new AIFunctionArguments { ["priority"] = JsonSerializer.SerializeToElement("High") });

        Assert.Equal("High", Assert.IsType<JsonElement>(result).GetString());
    }

    [Fact]
    public void Every_pinned_schema_is_one_the_argument_checks_accept()
    {
        foreach (var method in typeof(Shapes).GetMethods().Where(m => m.IsStatic && m.DeclaringType == typeof(Shapes)))
        {
            Assert.Null(ToolInputSchema.DeclaredProblem(Tool(method.Name).JsonSchema));
        }
    }

    [Fact]
    public void A_declared_input_schema_is_what_the_model_sees_and_the_rest_passes_through()
    {
        var lookup = Tool(nameof(Shapes.Described));
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"clause":{"type":"string","maxLength":40}},"required":["clause"]}""").RootElement;

        var declared = lookup.WithInputSchema(schema, "Looks up one clause.");

        Assert.Equal(lookup.Name, declared.Name);
        Assert.Equal("Looks up one clause.", declared.Description);
        AssertSchema(schema.GetRawText(), declared.JsonSchema);
        AssertSchema(schema.GetRawText(), declared.WithInputSchema(schema).JsonSchema);
        Assert.Equal(lookup.Description, lookup.WithInputSchema(schema).Description);
    }

    [Theory]
    [InlineData("""[1, 2]""", "must be a JSON object", "a list")]
    [InlineData("""{"properties":{}}""", "must have \"type\": \"object\"", "no type")]
    [InlineData("""{"type":"string"}""", "must have \"type\": \"object\"", "the string 'string'", "(at /type)")]
    [InlineData("""{"type":"object","properties":{"limit":{"type":"intger"}}}""", "'intger' is not a valid JSON Schema value type", "(at /properties/limit/type)")]
    [InlineData("""{"type":"object","required":"query"}""", "'required'", "(at /required)")]
    [InlineData("""{"type":"object","properties":{"limit":{"minimum":"one"}}}""", "'minimum'", "(at /properties/limit/minimum)")]
    public void A_schema_that_is_not_a_valid_json_schema_of_an_object_is_refused_naming_the_tool_and_where(string schema, params string[] words)
    {
        var lookup = Tool(nameof(Shapes.Described));

        var error = Assert.Throws<ArgumentException>(() => lookup.WithInputSchema(JsonDocument.Parse(schema).RootElement));

        Assert.Contains("the input schema of tool 'Described' is not a valid JSON Schema", error.Message, StringComparison.Ordinal);
        foreach (var word in words)
        {
            Assert.Contains(word, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_schema_in_draft_07_is_read_as_draft_07_and_one_in_a_draft_the_library_lacks_as_draft_2020_12()
    {
        // Draft-07's array form of items checks each position; draft 2020-12 would refuse the form itself.
        var draft7 = JsonDocument.Parse("""
            {"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
             "properties":{"pair":{"type":"array","items":[{"type":"string"},{"type":"integer"}]}},"definitions":{}}
            """).RootElement;
        var draft4 = JsonDocument.Parse("""{"$schema":"http://json-schema.org/draft-04/schema#","type":"object","properties":{"n":{"type":"integer"}}}""").RootElement;
        var tool = Tool(nameof(Shapes.Described));

        var seven = tool.WithInputSchema(draft7);
        var four = tool.WithInputSchema(draft4);

        Assert.Null(ToolArgumentValidator.Problem(seven, null, new Dictionary<string, object?> { ["pair"] = new object[] { "a", 1 } }));
        Assert.Equal("invalid arguments for tool 'Described': /pair/1: Value is \"string\" but should be \"integer\"",
            ToolArgumentValidator.Problem(seven, null, new Dictionary<string, object?> { ["pair"] = new object[] { "a", "b" } }));
        Assert.Equal("invalid arguments for tool 'Described': /n: Value is \"string\" but should be \"integer\"",
            ToolArgumentValidator.Problem(four, null, new Dictionary<string, object?> { ["n"] = "x" }));
    }
}
