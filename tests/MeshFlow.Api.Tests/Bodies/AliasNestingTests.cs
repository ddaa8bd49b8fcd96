using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MeshFlow.Api.Tests.Support;

namespace MeshFlow.Api.Tests.Bodies;

/// <summary>Aliases are read as the values they stand for: a definition cannot pass the nesting or size bound through them.</summary>
public sealed class AliasNestingTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string DepthMessage = "nesting deeper than 64 levels";

    [Fact]
    public async Task An_input_schema_chaining_80_aliases_is_a_400_at_the_alias_that_crosses_level_64()
    {
        var yaml = new StringBuilder("name: t\nnodes:\n  - id: a\n    model: offline\n    tools:\n      - name: deep\n        input_schema:\n" +
            "          type: object\n          properties:\n            d0: &d0 { type: string }\n");
        for (var i = 1; i < 80; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"            d{i}: &d{i} {{ properties: {{ p: *d{i - 1} }} }}\n");
        }

        var error = await RefusedAsync(yaml.ToString());

        AssertAt(error, yaml.ToString(), "*d28 ");
    }

    [Fact]
    public async Task Tool_arguments_chaining_80_aliases_are_a_400_at_the_alias_that_crosses_level_64()
    {
        var yaml = new StringBuilder("name: t\nnodes:\n  - id: lookup\n    kind: tool\n    tool: search\n    arguments:\n      d0: &d0 { p: 1 }\n");
        for (var i = 1; i < 80; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"      d{i}: &d{i} {{ p: *d{i - 1} }}\n");
        }

        var error = await RefusedAsync(yaml.ToString());

        AssertAt(error, yaml.ToString(), "*d59 ");
    }

    [Fact]
    public async Task Aliases_that_double_at_each_level_are_a_400_rather_than_an_expansion()
    {
        var yaml = new StringBuilder("name: t\nnodes:\n  - id: a\n    model: offline\nl0: &l0 [lol, lol]\n");
        for (var i = 1; i < 40; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]\n");
        }

        var error = await RefusedAsync(yaml.ToString());

        Assert.Contains("aliases expand the document past 100000 values", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(error.GetProperty("line").GetInt32() > 5);
    }

    [Fact]
    public async Task A_workflow_reusing_an_anchored_schema_still_validates()
    {
        const string Yaml = """
            name: intake
            nodes:
              - id: reader
                model: offline
                tools:
                  - name: file_claim
                    input_schema: &claim { type: object, properties: { claim: { type: string } } }
                  - name: file_appeal
                    input_schema: *claim
            """;
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var response = await client.PostWithTimeoutAsync(ValidateRequests.Path, new StringContent(Yaml, Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonElement> RefusedAsync(string yaml)
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        using var response = await client.PostWithTimeoutAsync(ValidateRequests.Path, new StringContent(yaml, Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("https://meshflow.dev/problems/invalid-workflow", problem.GetProperty("type").GetString());
        return Assert.Single(problem.GetProperty("errors").EnumerateArray()).Clone();
    }

    private static void AssertAt(JsonElement error, string yaml, string marker)
    {
        var index = yaml.IndexOf(marker, StringComparison.Ordinal);
        var line = yaml[..index].Count(c => c == '\n') + 1;
        var column = index - (yaml.LastIndexOf('\n', index) + 1) + 1;
        Assert.Contains(DepthMessage, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((line, column), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32()));
    }
}
