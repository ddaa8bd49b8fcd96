using System.Net;
using System.Text;
using System.Text.Json;
using MeshFlow.Api.Tests.Support;

namespace MeshFlow.Api.Tests;

/// <summary>The request validation matrix of <c>POST /runs</c> (and <c>POST /stream</c>, which reads the same body).</summary>
public sealed class RunValidationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly string Yaml = JsonSerializer.Serialize(RunEndpointTests.Review);

    // This API registers no tools, as its workers register none: an agent naming one could never run.
    private const string WithTool = "name: tooled\nnodes:\n  - id: researcher\n    model: offline\n    tools: [search]\n";

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "{\"yaml\": ", "body", "not valid JSON" },
        { "[1, 2]", "body", "JSON object" },
        { "{\"input\": \"x\"}", "workflow", "needs 'workflow'" },
        { "{\"workflow\": \"nonesuch\", \"input\": \"x\"}", "workflow", "unknown workflow 'nonesuch'" },
        { "{\"workflow\": 42, \"input\": \"x\"}", "workflow", "registered workflow's name" },
        { $"{{\"workflow\": {{\"name\": \"w\", \"nodes\": []}}, \"yaml\": {Yaml}, \"input\": \"x\"}}", "yaml", "not both" },
        { $"{{\"yaml\": {Yaml}}}", "input", "'input' is required" },
        { $"{{\"yaml\": {Yaml}, \"input\": \"x\", \"policy\": \"lenient\"}}", "policy", "unknown policy mode 'lenient'" },
        { $"{{\"yaml\": {Yaml}, \"input\": \"x\", \"policy\": {{\"mode\": \"strict\", \"max_stepz\": 3}}}}", "policy.max_stepz", "unknown policy field" },
        { $"{{\"yaml\": {Yaml}, \"input\": \"x\", \"policy\": {{\"max_steps\": -1}}}}", "policy.max_steps", "at least 0" },
        { $"{{\"yaml\": {Yaml}, \"input\": \"x\", \"policy\": {{\"step_timeout\": \"soon\"}}}}", "policy.step_timeout", "duration" },
        { $"{{\"yaml\": {Yaml}, \"input\": \"x\", \"policy\": 7}}", "policy", "mode name" },
        { $"{{\"yaml\": {Yaml}, \"input\": \"x\", \"policy\": {{\"max_wall_time\": -5}}}}", "policy.max_wall_time", "greater than zero" },
        { $"{{\"yaml\": {Yaml}, \"input\": \"x\", \"policy\": {{\"risk_threshold\": \"severe\"}}}}", "policy.risk_threshold", "a risk tier" },
        { $"{{\"yaml\": {Yaml}, \"input\": \"x\", \"policy\": {{\"uncertainty_threshold\": 2}}}}", "policy.uncertainty_threshold", "from 0 to 1" },
        { $"{{\"yaml\": {Yaml}, \"input\": \"x\", \"policy\": {{\"allowed_tools\": \"search\"}}}}", "policy.allowed_tools", "a list of tool names" },
        { $"{{\"yaml\": {Yaml}, \"input\": \"x\", \"policy\": {{\"guardian\": \"on\"}}}}", "policy.guardian", "true or false" },
        { $"{{\"yaml\": {Yaml}, \"input\": \"x\", \"policy\": {{\"allowed_tools\": [\"search\"]}}}}", "policy.allowed_tools[0]", "unknown tool 'search'" },
        { $"{{\"yaml\": {Yaml}, \"input\": \"x\", \"policy\": {{\"risk\": {{\"deploy\": \"low\"}}}}}}", "policy.risk.deploy", "unknown tool 'deploy'" },
        { $"{{\"yaml\": {JsonSerializer.Serialize(WithTool)}, \"input\": \"x\"}}", "nodes[0].tools[0]", "unknown tool 'search'" },
        { $"{{\"yaml\": {Yaml}, \"input\": \"x\", \"metadata\": [1]}}", "metadata", "JSON object" },
        { $"{{\"yaml\": {Yaml}, \"input\": \"x\", \"colour\": \"red\"}}", "colour", "unknown field 'colour'" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_a_400_naming_the_field_and_the_problem(string body, string field, string problem)
    {
        foreach (var route in new[] { "/runs", "/stream" })
        {
            using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
            using var response = await client.PostWithTimeoutAsync(route, new StringContent(body, Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problemDetails = await response.ReadJsonAsync();
            Assert.Equal(field, problemDetails.GetProperty("errors")[0].GetProperty("path").GetString());
            Assert.Contains(problem, problemDetails.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Invalid_yaml_is_a_400_listing_every_problem_with_its_line_and_column()
    {
        const string Broken = "name: broken\nnodes:\n  - id: a\n  - id: a\nedges:\n  - from: a\n    to: ghost\n";
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        using var response = await client.PostWithTimeoutAsync("/runs",
            new StringContent(JsonSerializer.Serialize(new { yaml = Broken, input = "x" }), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors").EnumerateArray().ToList();
        Assert.True(errors.Count >= 2);
        Assert.All(errors, e => Assert.True(e.GetProperty("line").GetInt32() > 0 && e.GetProperty("column").GetInt32() > 0));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_as_an_unsupported_media_type()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        using var response = await client.PostWithTimeoutAsync("/runs", new StringContent("name: x", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_valid_policy_override_is_accepted()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        using var response = await client.PostWithTimeoutAsync("/runs", new StringContent(
            $"{{\"yaml\": {Yaml}, \"input\": {{\"clause\": \"NDA\"}}, \"policy\": {{\"mode\": \"strict\", \"max_steps\": 20, \"step_timeout\": \"30s\"}}}}",
            Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_policy_with_the_governance_fields_is_accepted()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        using var response = await client.PostWithTimeoutAsync("/runs", new StringContent(
            $"{{\"yaml\": {Yaml}, \"input\": \"x\", \"policy\": {{\"mode\": \"hipaa\", \"max_wall_time\": \"5m\", \"max_tool_calls\": 10, " +
            "\"risk_threshold\": \"high\", \"uncertainty_threshold\": 0.5, " +
            "\"scrub_phi\": true, \"guardian\": true, \"collusion_audit\": true}}",
            Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
