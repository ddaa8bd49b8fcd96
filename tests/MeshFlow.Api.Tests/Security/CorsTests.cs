using System.Net;
using MeshFlow.Api.Security;
using MeshFlow.Api.Tests.Support;

namespace MeshFlow.Api.Tests.Security;

public sealed class CorsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Allowed = "https://app.example.com";

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_gets_the_allowed_methods_and_headers_without_a_key()
    {
        await using var cors = factory.WithSettings(new Dictionary<string, string?> { [ApiSecurityConfiguration.CorsOrigins] = $"{Allowed}, https://other.example.com" });
        using var client = cors.CreateClient();

        using var response = await client.SendWithTimeoutAsync(Preflight(Allowed));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Allowed, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        var headers = string.Join(',', response.Headers.GetValues("Access-Control-Allow-Headers"));
        Assert.Contains("authorization", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("x-api-key", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("POST", string.Join(',', response.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_preflight_from_another_origin_gets_no_allow_headers()
    {
        await using var cors = factory.WithSettings(new Dictionary<string, string?> { [ApiSecurityConfiguration.CorsOrigins] = Allowed });
        using var client = cors.CreateClient();

        using var response = await client.SendWithTimeoutAsync(Preflight("https://evil.example.com"));

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Headers"));
    }

    [Fact]
    public async Task A_request_from_an_allowed_origin_may_read_retry_after_and_location()
    {
        await using var cors = factory.WithSettings(new Dictionary<string, string?> { [ApiSecurityConfiguration.CorsOrigins] = Allowed });
        using var client = cors.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, ValidateRequests.Path) { Content = ValidateRequests.Minimal() };
        request.Headers.Add("Origin", Allowed);

        using var response = await client.SendWithTimeoutAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Allowed, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        var exposed = string.Join(',', response.Headers.GetValues("Access-Control-Expose-Headers"));
        Assert.Contains("Retry-After", exposed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Location", exposed, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Without_configured_origins_no_response_carries_cors_headers()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, ValidateRequests.Path) { Content = ValidateRequests.Minimal() };
        request.Headers.Add("Origin", Allowed);

        using var preflight = await client.SendWithTimeoutAsync(Preflight(Allowed));
        using var response = await client.SendWithTimeoutAsync(request);

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public void A_malformed_origin_stops_start_up_naming_it()
    {
        using var bad = factory.WithSettings(new Dictionary<string, string?> { [ApiSecurityConfiguration.CorsOrigins] = "https://ok.example.com,app.example.com/path" });

        var failure = Assert.ThrowsAny<Exception>(() => bad.CreateClient());

        Assert.Contains("MESHFLOW_CORS_ORIGINS entry 2", StartupFailure.MessagesOf(failure), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, ValidateRequests.Path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        return request;
    }
}
