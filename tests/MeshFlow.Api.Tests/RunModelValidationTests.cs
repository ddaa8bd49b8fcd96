using System.Net;
using MeshFlow.Api.Tests.Support;

namespace MeshFlow.Api.Tests;

/// <summary>A run whose model the deployment cannot call, or cannot price under a dollar budget, is refused before it is queued.</summary>
public sealed class RunModelValidationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Key = "sk-validation-secret-4411";

    private static readonly Dictionary<string, string?> Connections = new()
    {
        ["ConnectionStrings:llm"] = $"Provider=openai;Endpoint=http://127.0.0.1:9/v1;Key={Key};Model=gpt-4o-mini",
    };

    private static string Body(string model, string policy) =>
        $$"""{"yaml": "name: priced\nnodes:\n  - id: writer\n    model: {{model}}\n", "input": "x", "policy": {{policy}}}""";

    [Theory]
    [InlineData("my-finetune", "\"standard\"", "model 'my-finetune' of 'llm' (openai), which has no price")]
    [InlineData("[gpt-4o-mini, my-finetune]", "\"standard\"", "model 'my-finetune'")]
    [InlineData("anthropic/claude-sonnet-4-5", "\"dev\"", "ConnectionStrings:llm-anthropic")]
    public async Task An_unpriced_model_under_a_dollar_budget_or_an_unconfigured_provider_is_a_400_naming_the_model(string model, string policy, string expected)
    {
        await using var app = factory.WithSettings(Connections);
        using var client = app.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var response = await client.PostWithTimeoutAsync("/runs", new StringContent(Body(model, policy), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("workflow", problem.GetProperty("errors")[0].GetProperty("path").GetString());
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unpriced_model_without_a_dollar_budget_is_accepted()
    {
        await using var app = factory.WithSettings(Connections);
        using var client = app.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var response = await client.PostWithTimeoutAsync("/runs",
            new StringContent(Body("my-finetune", "{\"mode\": \"dev\", \"max_cost_usd\": 0}"), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
