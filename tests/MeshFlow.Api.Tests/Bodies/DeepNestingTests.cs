using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MeshFlow.Api.Tests.Support;

namespace MeshFlow.Api.Tests.Bodies;

/// <summary>Definitions nested deeper than a workflow ever is are refused with the level's line and column, on every route that reads one.</summary>
public sealed class DeepNestingTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string DepthMessage = "nesting deeper than 64 levels";

    [Fact]
    public async Task Forty_kilobytes_of_brackets_sent_for_validation_are_refused_at_line_1_column_65()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var response = await client.PostWithTimeoutAsync("/workflows/validate",
            new StringContent(new string('[', 40 * 1024), Encoding.UTF8, "application/yaml"));

        AssertRefusedAt(await InvalidWorkflowAsync(response), line: 1, column: 65);
    }

    [Fact]
    public async Task A_deep_yaml_mapping_sent_to_start_a_run_is_refused_at_the_line_of_level_65()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        var yaml = string.Concat(Enumerable.Range(0, 300).Select(level => new string(' ', 2 * level) + "a:\n"));

        using var response = await client.PostWithTimeoutAsync("/runs", JsonContent.Create(new { yaml, input = "x" }));

        AssertRefusedAt(await InvalidWorkflowAsync(response), line: 65, column: 129);
    }

    [Fact]
    public async Task A_json_definition_nested_a_hundred_deep_is_refused_by_the_definition_reader()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        var body = "{\"workflow\": " + string.Concat(Enumerable.Repeat("{\"a\": ", 100)) + "1" + new string('}', 100) + "}";

        using var response = await client.PostWithTimeoutAsync("/workflows/validate", new StringContent(body, Encoding.UTF8, "application/json"));

        // The definition's own text starts at the workflow's '{': level 65 opens 64 levels of '{"a": ' in.
        AssertRefusedAt(await InvalidWorkflowAsync(response), line: 1, column: (64 * "{\"a\": ".Length) + 1);
    }

    [Fact]
    public async Task A_json_body_nested_thousands_deep_is_a_400_naming_the_body_depth_and_where()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        var body = "{\"workflow\": " + new string('[', 5000) + new string(']', 5000) + ", \"input\": \"x\"}";

        using var response = await client.PostWithTimeoutAsync("/runs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("body", problem.GetProperty("errors")[0].GetProperty("path").GetString());
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("depth of 128", detail, StringComparison.Ordinal);
        Assert.Contains("(line 1, byte ", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workflow_of_ordinary_depth_still_validates()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var response = await client.PostWithTimeoutAsync("/workflows/validate", ValidateRequests.Minimal());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<JsonElement> InvalidWorkflowAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("https://meshflow.dev/problems/invalid-workflow", problem.GetProperty("type").GetString());
        return Assert.Single(problem.GetProperty("errors").EnumerateArray());
    }

    private static void AssertRefusedAt(JsonElement error, int line, int column)
    {
        Assert.Contains(DepthMessage, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((line, column), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32()));
    }
}
