using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MeshFlow.Api.Tests.Support;

namespace MeshFlow.Api.Tests;

public sealed class WorkflowValidationEndpointTests(ApiFactory factory)
    : IClassFixture<ApiFactory>
{
    private const string Review = """
        name: review
        policy: standard
        nodes:
          - id: writer
            kind: agent
            model: offline
          - id: critic
            kind: agent
            model: scripted
            responses: [REVISE, APPROVED]
        edges:
          - from: writer
            to: critic
          - from: critic
            to: writer
            loop: true
            when: "!contains(output, 'APPROVED')"
            max_iterations: 3
        """;

    private async Task<HttpResponseMessage> PostAsync(HttpContent content)
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        return await client.PostAsync(new Uri("/workflows/validate", UriKind.Relative), content, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_valid_yaml_body_is_described()
    {
        using var response = await PostAsync(new StringContent(Review, Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.True(body.GetProperty("valid").GetBoolean());
        Assert.Equal("review", body.GetProperty("name").GetString());
        Assert.Equal(1, body.GetProperty("loop_edges").GetInt32());
    }

    [Fact]
    public async Task Yaml_inside_json_and_a_json_definition_are_both_accepted()
    {
        using var yaml = await PostAsync(JsonContent.Create(new { yaml = Review }));
        using var json = await PostAsync(JsonContent.Create(new
        {
            workflow = new { name = "one", nodes = new[] { new { id = "a", model = "offline" } } },
        }));

        Assert.Equal(HttpStatusCode.OK, yaml.StatusCode);
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal("one", (await json.ReadJsonAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_invalid_workflow_gets_a_problem_listing_every_error_with_line_and_column()
    {
        const string Broken = """
            name: broken
            policy: turbo
            nodes:
              - id: a
              - id: a
            edges:
              - from: a
                to: ghost
            """;

        using var response = await PostAsync(new StringContent(Broken, Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.ReadJsonAsync();
        var errors = body.GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("code").GetString() == "unknown_policy_mode" && e.GetProperty("line").GetInt32() == 2);
        Assert.Contains(errors, e => e.GetProperty("code").GetString() == "duplicate_id" && e.GetProperty("line").GetInt32() == 5);
        Assert.Contains(errors, e => e.GetProperty("code").GetString() == "unknown_node" && e.GetProperty("line").GetInt32() == 8);
        Assert.All(errors, e => Assert.Equal(JsonValueKind.Number, e.GetProperty("column").ValueKind));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_naming_the_body()
    {
        using var response = await PostAsync(new StringContent("{\"yaml\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Contains("not valid JSON", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("body", body.GetProperty("errors")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task A_json_body_without_yaml_or_workflow_is_a_400_naming_the_field()
    {
        using var response = await PostAsync(JsonContent.Create(new { something = 1 }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("yaml", body.GetProperty("errors")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task An_unsupported_media_type_is_a_415_problem()
    {
        using var response = await PostAsync(new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new("application/octet-stream") } });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
