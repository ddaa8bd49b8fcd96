using System.Net;
using MeshFlow.Api.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace MeshFlow.Api.Tests;

public sealed class DefaultEndpointTests(ApiFactory factory)
    : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Alive_answers_200()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetWithTimeoutAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Alive_ignores_checks_that_are_not_tagged_live()
    {
        await using var failing = factory.WithWebHostBuilder(host =>
            host.ConfigureTestServices(services => services.AddHealthChecks()
                .AddCheck("ledger", () => HealthCheckResult.Unhealthy())));
        using var client = failing.CreateClient();

        using var response = await client.GetWithTimeoutAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_is_valid_and_describes_the_health_endpoint()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetWithTimeoutAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        var (document, diagnostic) = OpenApiDocument.Parse(json, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.NotNull(document);
        Assert.Empty(diagnostic?.Errors ?? []);
        var health = Assert.Contains("/health", document.Paths);
        Assert.Contains(HttpMethod.Get, health.Operations ?? []);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_run_routes_and_the_two_ways_to_present_a_key()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetWithTimeoutAsync("/openapi/v1.json");
        var json = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        var (document, diagnostic) = OpenApiDocument.Parse(json, OpenApiConstants.Json, new OpenApiReaderSettings());

        Assert.Empty(diagnostic?.Errors ?? []);
        foreach (var path in new[] { "/runs", "/runs/{id}", "/runs/{id}/cancel", "/runs/{id}/events", "/stream", "/traces/{run_id}",
            "/traces/{run_id}/steps/{step_id}/replay", "/traces/{run_id}/verify", "/workflows/validate" })
        {
            Assert.Contains(path, document!.Paths.Keys);
        }

        var schemes = document!.Components?.SecuritySchemes ?? new Dictionary<string, IOpenApiSecurityScheme>();
        Assert.Equal(SecuritySchemeType.Http, schemes["Bearer"].Type);
        Assert.Equal(("X-API-Key", ParameterLocation.Header), (schemes["ApiKey"].Name, schemes["ApiKey"].In));
        Assert.Equal(2, document.Security?.Count);
    }

    [Fact]
    public async Task An_unknown_route_answers_404_as_problem_details()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var response = await client.GetWithTimeoutAsync("/no-such-route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.ReadJsonAsync();
        Assert.Equal(404, body.GetProperty("status").GetInt32());
    }
}
