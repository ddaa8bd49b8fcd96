using System.Net;
using MeshFlow.Api.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static MeshFlow.Api.Tests.Governance.GovernanceApi;

namespace MeshFlow.Api.Tests.Governance;

/// <summary>Tool names in workflows and policies are checked against the tools the host registers.</summary>
public sealed class RegisteredToolTests
{
    private const string Researcher = """
        name: researcher
        nodes:
          - id: researcher
            model: offline
            tools: [search]
        """;

    private static readonly string[] Search = ["search"];
    private static readonly string[] Misspelt = ["serch"];

    private static WebApplicationFactory<Program> WithSearch(ApiFactory api) => api.WithWebHostBuilder(host => host.ConfigureServices(services =>
        services.AddSingleton(AIFunctionFactory.Create((string query) => $"results for {query}", "search"))));

    [Fact]
    public async Task A_policy_naming_registered_tools_is_accepted_and_an_unregistered_one_is_refused_with_a_hint()
    {
        await using var api = OwnTenant("tools");
        await using var host = WithSearch(api);
        using var user = host.CreateAuthenticatedClient(UserKey);

        using var accepted = await user.PostWithTimeoutAsync("/runs", Json(new
        {
            yaml = Researcher, input = "x",
            policy = new { allowed_tools = Search, risk = new Dictionary<string, string> { ["search"] = "low" } },
        }));
        using var misspelt = await user.PostWithTimeoutAsync("/runs", Json(new { yaml = Researcher, input = "x", policy = new { allowed_tools = Misspelt } }));
        using var badTier = await user.PostWithTimeoutAsync("/runs", Json(new
        {
            yaml = Researcher, input = "x", policy = new { risk = new Dictionary<string, string> { ["search"] = "hgih" } },
        }));
        using var unknownInWorkflow = await user.PostWithTimeoutAsync("/runs", Json(new { yaml = Researcher.Replace("[search]", "[browse]", StringComparison.Ordinal), input = "x" }));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, misspelt.StatusCode);
        var problem = await misspelt.ReadJsonAsync();
        Assert.Equal("policy.allowed_tools[0]", problem.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Contains("did you mean 'search'?", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badTier.StatusCode);
        Assert.Equal("policy.risk.search", (await badTier.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unknownInWorkflow.StatusCode);
        var workflowProblem = (await unknownInWorkflow.ReadJsonAsync()).GetProperty("errors")[0];
        Assert.Contains("browse", workflowProblem.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, workflowProblem.GetProperty("line").GetInt32());
    }
}
