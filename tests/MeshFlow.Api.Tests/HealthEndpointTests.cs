using System.Net;
using System.Text.Json;
using MeshFlow.Api.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace MeshFlow.Api.Tests;

public sealed class HealthEndpointTests(ApiFactory factory)
    : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Health_answers_200_with_ok_db_redis_version_and_uptime_of_the_right_types()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetWithTimeoutAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.ReadJsonAsync();
        Assert.Equal(JsonValueKind.True, body.GetProperty("ok").ValueKind);
        Assert.Equal(JsonValueKind.String, body.GetProperty("db").ValueKind);
        Assert.Equal(JsonValueKind.String, body.GetProperty("redis").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("version").GetString()));
        Assert.Equal(JsonValueKind.Number, body.GetProperty("uptime_s").ValueKind);
        Assert.True(body.GetProperty("uptime_s").GetDouble() >= 0);
    }

    [Fact]
    public async Task Health_reports_embedded_stores_without_connection_strings()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetWithTimeoutAsync("/health");

        var body = await response.ReadJsonAsync();
        Assert.Equal("embedded", body.GetProperty("db").GetString());
        Assert.Equal("in-process", body.GetProperty("redis").GetString());
    }

    // "configured" for the ledger and redis is proven where they really are: the AppHost tests boot the topology
    // with real Postgres and Redis servers (AppHostBootTests.Api_health_reports_the_configured_ledger_and_redis).

    [Fact]
    public async Task Uptime_is_measured_on_the_injected_clock()
    {
        var clock = new FakeTimeProvider();
        await using var timed = factory.WithWebHostBuilder(host =>
            host.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        using var client = timed.CreateClient();

        clock.Advance(TimeSpan.FromSeconds(90));
        using var response = await client.GetWithTimeoutAsync("/health");

        var body = await response.ReadJsonAsync();
        Assert.Equal(90, body.GetProperty("uptime_s").GetDouble());
    }

    [Fact]
    public async Task Health_answers_503_with_ok_false_when_a_health_check_fails()
    {
        await using var failing = factory.WithWebHostBuilder(host =>
            host.ConfigureTestServices(services => services.AddHealthChecks()
                .AddCheck("ledger", () => HealthCheckResult.Unhealthy("The ledger is unreachable."))));
        using var client = failing.CreateClient();

        using var response = await client.GetWithTimeoutAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(JsonValueKind.False, body.GetProperty("ok").ValueKind);
    }
}
