using System.Net;
using MeshFlow.Api.Tests.Support;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Api.Tests.Tools;

/// <summary><c>GET /tools</c> over real HTTP: every built-in tool with its schema, risk tier and limits.</summary>
public sealed class ToolEndpointTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Every_built_in_tool_is_listed_with_its_schema_risk_tier_and_limits()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var response = await client.GetWithTimeoutAsync("/tools");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tools = (await response.ReadJsonAsync()).GetProperty("tools").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.All(BuiltInToolNames.All, name => Assert.True(tools.ContainsKey(name), $"{name} is not listed"));
        var expected = new Dictionary<string, string>
        {
            ["web_search"] = "medium", ["web_fetch"] = "medium", ["http_request"] = "high", ["python_repl"] = "medium", ["shell"] = "medium",
            ["read_file"] = "low", ["write_file"] = "medium", ["json_query"] = "low", ["datetime_now"] = "low", ["calculator"] = "low",
        };
        foreach (var (name, risk) in expected)
        {
            var tool = tools[name];
            Assert.Equal(risk, tool.GetProperty("risk").GetString());
            Assert.True(tool.GetProperty("built_in").GetBoolean());
            Assert.True(tool.GetProperty("timeout_seconds").GetDouble() > 0);
            Assert.True(tool.GetProperty("max_output_chars").GetInt32() > 0);
            Assert.False(string.IsNullOrWhiteSpace(tool.GetProperty("description").GetString()));
            Assert.Equal("object", tool.GetProperty("schema").GetProperty("type").GetString());
        }

        Assert.True(tools["web_search"].GetProperty("schema").GetProperty("properties").TryGetProperty("query", out _));
        Assert.True(tools["python_repl"].GetProperty("schema").GetProperty("properties").TryGetProperty("code", out _));
    }

    [Fact]
    public async Task Listing_tools_needs_a_key()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetWithTimeoutAsync("/tools");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
