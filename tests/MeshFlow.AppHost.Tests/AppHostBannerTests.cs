using System.Net;
using System.Net.Http.Headers;
using MeshFlow.AppHost.Banner;
using MeshFlow.AppHost.Infrastructure;
using MeshFlow.AppHost.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFlow.AppHost.Tests;

/// <summary>What <c>dotnet run --project MeshFlow.AppHost</c> prints once the api is up, and that its key works.</summary>
[Collection(OwnAppHosts.Name)]
public sealed class AppHostBannerTests
{
    [Fact]
    public async Task Once_the_api_is_up_the_AppHost_prints_its_endpoints_and_a_development_key_the_api_accepts()
    {
        var dataDirectory = AppHostFixture.NewDataDirectory();
        try
        {
            using var boot = new CancellationTokenSource(TestTimeouts.Boot);
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MeshFlow_AppHost>(
                [
                    $"{AppHostSettings.DataDirectory}={dataDirectory}",
                    $"{AppHostSettings.Containers}=false",

                    // Embedded (no redis-server): the api alone is all the key needs, and it boots in a fraction of the time.
                    $"{AppHostSettings.RedisServer}=/nonexistent/bin/redis-server",
                ],
                boot.Token);
            builder.CreateResourceBuilder<ProjectResource>("api").WithEnvironment("MESHFLOW_DATA_DIR", Path.Combine(dataDirectory, "api-data"));
            var banner = new BannerCapture();
            builder.Services.AddSingleton(new RunningBanner(banner));

            await using var app = await builder.BuildAsync(boot.Token);
            await app.StartAsync(boot.Token);
            var lines = (await banner.Printed.WaitAsync(boot.Token)).Split(Environment.NewLine);

            Assert.Contains(RunningBanner.Heading, lines);
            Assert.Equal(app.GetEndpoint("api", "http").ToString().TrimEnd('/'), Value(lines, "  API:        "));
            Assert.Equal(app.GetEndpoint("dashboard", "http").ToString().TrimEnd('/'), Value(lines, "  Dashboard:  "));
            Assert.Single(lines, line => line.StartsWith("  Aspire:     ", StringComparison.Ordinal));
            var key = Value(lines, "  API key:    ");
            var keyFile = Value(lines, "  Key file:   ");
            Assert.Equal(Path.Combine(dataDirectory, "api", "api-key"), keyFile);
            Assert.Equal(key, (await File.ReadAllTextAsync(keyFile, boot.Token)).Trim());

            using var client = app.CreateHttpClient("api", "http");
            client.Timeout = TestTimeouts.Default;
            using var anonymous = await client.GetAsync(new Uri("/workflows", UriKind.Relative), boot.Token);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            using var wrong = new HttpRequestMessage(HttpMethod.Get, "/workflows") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key + "x") } };
            using var refused = await client.SendAsync(wrong, boot.Token);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var workflows = await client.GetAsync(new Uri("/workflows", UriKind.Relative), boot.Token);
            Assert.Equal(HttpStatusCode.OK, workflows.StatusCode);
            Assert.Contains("\"name\":\"review\"", await workflows.Content.ReadAsStringAsync(boot.Token), StringComparison.Ordinal);
            using var admin = await client.GetAsync(new Uri("/admin/tenants/default/policy", UriKind.Relative), boot.Token);
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);

            await app.StopAsync(boot.Token);
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A temp folder; leaving it behind is harmless.
            }
        }
    }

    private static string Value(string[] lines, string prefix) =>
        Assert.Single(lines, line => line.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];
}
