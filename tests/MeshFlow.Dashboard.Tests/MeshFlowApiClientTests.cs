using System.Net;
using System.Text;
using MeshFlow.Dashboard.ApiClient;
using MeshFlow.Dashboard.Tests.Support;

namespace MeshFlow.Dashboard.Tests;

public sealed class MeshFlowApiClientTests
{
    private const string HealthyBody = """{"ok":true,"db":"embedded","redis":"in-process","version":"0.1.0","uptime_s":12.5}""";

    [Fact]
    public async Task A_healthy_API_is_read_from_its_snake_case_health_body()
    {
        var result = await GetHealthAsync(_ => Json(HttpStatusCode.OK, HealthyBody));

        Assert.Null(result.Error);
        Assert.Equal(new ApiHealth(Ok: true, Db: "embedded", Redis: "in-process", Version: "0.1.0", UptimeS: 12.5), result.Health);
    }

    [Fact]
    public async Task It_asks_the_health_path()
    {
        Uri? asked = null;

        await GetHealthAsync(request =>
        {
            asked = request.RequestUri;
            return Json(HttpStatusCode.OK, HealthyBody);
        });

        Assert.Equal(new Uri("http://api.test/health"), asked);
    }

    [Fact]
    public async Task An_unhealthy_API_answering_503_is_reachable_and_not_ok()
    {
        var result = await GetHealthAsync(_ => Json(
            HttpStatusCode.ServiceUnavailable,
            """{"ok":false,"db":"configured","redis":"configured","version":"0.1.0","uptime_s":1}"""));

        Assert.NotNull(result.Health);
        Assert.False(result.Health.Ok);
    }

    [Fact]
    public async Task A_refused_connection_is_an_error_result_not_an_exception()
    {
        var result = await GetHealthAsync(_ => throw new HttpRequestException("Connection refused (api:80)"));

        Assert.Null(result.Health);
        Assert.Contains("Connection refused (api:80)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unexpected_status_is_an_error_naming_it()
    {
        var result = await GetHealthAsync(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError));

        Assert.Null(result.Health);
        Assert.Contains("500", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_an_error()
    {
        var result = await GetHealthAsync(_ => Json(HttpStatusCode.OK, "<html>proxy error</html>"));

        Assert.Null(result.Health);
        Assert.Contains("not valid JSON", result.Error, StringComparison.Ordinal);
    }

    private static async Task<ApiHealthResult> GetHealthAsync(Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        using var httpClient = new HttpClient(new StubHttpMessageHandler(respond))
        {
            BaseAddress = new Uri("http://api.test"),
        };
        var client = new MeshFlowApiClient(httpClient, new FixedApiKey(null), new ApiAvailability());

        return await client.GetHealthAsync(TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}
