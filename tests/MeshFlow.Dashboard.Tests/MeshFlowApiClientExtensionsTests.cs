using System.Net;
using MeshFlow.Dashboard.ApiClient;
using MeshFlow.Dashboard.Health;
using MeshFlow.Dashboard.Tests.Support;
using MeshFlow.ServiceDefaults.Startup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MeshFlow.Dashboard.Tests;

public sealed class MeshFlowApiClientExtensionsTests
{
    [Fact]
    public async Task A_start_that_outlives_the_attempt_timeout_is_sent_once()
    {
        var posts = 0;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[MeshFlowApiClientExtensions.ApiUrlKey] = "http://api.test";
        builder.AddMeshFlowApiClient();
        builder.Services.AddSingleton<IApiKeySource>(new FixedApiKey("resilience-test-key"));
        // The fake API answers the first POST /runs after the 2 s attempt timeout: the run has started all the same.
        builder.Services.AddHttpClient<MeshFlowApiClient>().ConfigurePrimaryHttpMessageHandler(() => new DelayingHandler(async (request, cancellationToken) =>
        {
            if (request.Method == HttpMethod.Post && Interlocked.Increment(ref posts) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(4), cancellationToken);
            }

            return new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new StringContent("""{"run_id":"r1"}""") };
        }));
        using var host = builder.Build();
        var api = host.Services.GetRequiredService<MeshFlowApiClient>();

        await Assert.ThrowsAnyAsync<Exception>(() => api.StartRunAsync(new StartRunRequest("w", null, "in"), TestContext.Current.CancellationToken));

        Assert.Equal(1, Volatile.Read(ref posts));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("/relative")]
    [InlineData("ftp://api.test")]
    public void A_malformed_api_url_names_the_setting(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(MeshFlowApiClientExtensions.ApiUrlKey, value)]).Build();

        var problem = Assert.Throws<MeshFlowConfigurationException>(() => MeshFlowApiClientExtensions.ReadApiUrl(configuration));

        Assert.Contains(MeshFlowApiClientExtensions.ApiUrlKey, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_http_api_url_is_used_and_no_setting_means_service_discovery()
    {
        var configured = new ConfigurationBuilder().AddInMemoryCollection([new(MeshFlowApiClientExtensions.ApiUrlKey, "http://localhost:5080")]).Build();

        Assert.Equal(new Uri("http://localhost:5080"), MeshFlowApiClientExtensions.ReadApiUrl(configured));
        Assert.Equal(MeshFlowApiClientExtensions.ApiBaseAddress, MeshFlowApiClientExtensions.ReadApiUrl(new ConfigurationBuilder().Build()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("fast")]
    public void A_malformed_health_poll_interval_names_the_setting(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(ApiHealthMonitor.IntervalKey, value)]).Build();

        var problem = Assert.Throws<MeshFlowConfigurationException>(() => ApiHealthMonitor.ReadInterval(configuration));

        Assert.Contains(ApiHealthMonitor.IntervalKey, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_health_poll_interval_in_milliseconds_is_used_and_the_default_is_two_seconds()
    {
        var configured = new ConfigurationBuilder().AddInMemoryCollection([new(ApiHealthMonitor.IntervalKey, "250")]).Build();

        Assert.Equal(TimeSpan.FromMilliseconds(250), ApiHealthMonitor.ReadInterval(configured));
        Assert.Equal(TimeSpan.FromSeconds(2), ApiHealthMonitor.ReadInterval(new ConfigurationBuilder().Build()));
    }

    private sealed class DelayingHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            respond(request, cancellationToken);
    }
}
