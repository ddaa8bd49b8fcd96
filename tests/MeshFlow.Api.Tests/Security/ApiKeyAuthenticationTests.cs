using System.Net;
using MeshFlow.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Api.Tests.Security;

public sealed class ApiKeyAuthenticationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string WrongKey = "wrong-key-that-must-never-be-echoed";

    [Fact]
    public async Task A_request_without_a_key_is_a_401_problem_with_a_bearer_challenge()
    {
        using var client = factory.CreateClient();

        using var response = await client.PostMinimalAsync();

        await AssertUnauthorizedAsync(response, "no API key", presented: null);
    }

    [Fact]
    public async Task A_wrong_key_is_a_401_problem_that_does_not_echo_the_key()
    {
        using var client = factory.CreateClient();

        using var bearer = await client.SendWithTimeoutAsync(ValidateRequests.WithHeader("Authorization", $"Bearer {WrongKey}"));
        using var header = await client.SendWithTimeoutAsync(ValidateRequests.WithHeader("X-API-Key", WrongKey));

        await AssertUnauthorizedAsync(bearer, "not recognised", WrongKey);
        await AssertUnauthorizedAsync(header, "not recognised", WrongKey);
    }

    [Theory]
    [InlineData($"Basic {ApiFactory.AcmeUserKey}")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData($"Bearer {ApiFactory.AcmeUserKey} extra")]
    [InlineData(ApiFactory.AcmeUserKey)]
    public async Task A_malformed_authorization_header_is_a_401_problem_saying_so(string authorization)
    {
        using var client = factory.CreateClient();

        using var response = await client.SendWithTimeoutAsync(ValidateRequests.WithHeader("Authorization", authorization));

        await AssertUnauthorizedAsync(response, "Authorization header is malformed", ApiFactory.AcmeUserKey);
    }

    [Fact]
    public async Task Two_headers_with_different_keys_are_refused_even_when_one_is_valid()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        using var request = ValidateRequests.WithHeader("X-API-Key", ApiFactory.GlobexUserKey);

        using var response = await client.SendWithTimeoutAsync(request);

        await AssertUnauthorizedAsync(response, "different keys", ApiFactory.GlobexUserKey);
    }

    [Fact]
    public async Task A_known_key_is_accepted_as_a_bearer_token_and_as_an_x_api_key_header()
    {
        using var client = factory.CreateClient();

        using var bearer = await client.SendWithTimeoutAsync(ValidateRequests.WithHeader("Authorization", $"Bearer {ApiFactory.AcmeUserKey}"));
        using var lowercase = await client.SendWithTimeoutAsync(ValidateRequests.WithHeader("Authorization", $"bearer {ApiFactory.GlobexUserKey}"));
        using var header = await client.SendWithTimeoutAsync(ValidateRequests.WithHeader("X-API-Key", ApiFactory.AcmeAdminKey));

        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lowercase.StatusCode);
        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    [InlineData("/openapi/v1.json")]
    public async Task Health_liveness_and_the_openapi_document_need_no_key_and_ignore_a_wrong_one(string path)
    {
        using var anonymous = factory.CreateClient();
        using var wrong = factory.CreateAuthenticatedClient(WrongKey);

        using var withoutKey = await anonymous.GetWithTimeoutAsync(path);
        using var withWrongKey = await wrong.GetWithTimeoutAsync(path);

        Assert.Equal(HttpStatusCode.OK, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withWrongKey.StatusCode);
    }

    [Fact]
    public async Task An_unknown_route_without_a_key_is_a_401_not_a_404()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetWithTimeoutAsync("/no-such-route");

        await AssertUnauthorizedAsync(response, "no API key", presented: null);
    }

    [Fact]
    public async Task Keys_appear_in_no_log_message_even_at_trace_level()
    {
        var logs = new CapturingLoggerProvider();
        await using var logged = factory.WithSettings(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        }).WithWebHostBuilder(host => host.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(logs)));
        using var client = logged.CreateClient();

        using var good = await client.SendWithTimeoutAsync(ValidateRequests.WithHeader("Authorization", $"Bearer {ApiFactory.AcmeUserKey}"));
        using var wrong = await client.SendWithTimeoutAsync(ValidateRequests.WithHeader("X-API-Key", WrongKey));

        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        // The refusal was logged (so the check below looked at something), without the key.
        Assert.Contains(logs.Messages, m => m.Contains("not recognised", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains(WrongKey, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains(ApiFactory.AcmeUserKey, StringComparison.Ordinal));
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string detail, string? presented)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        var text = await response.ReadTextAsync();
        if (presented is not null)
        {
            Assert.DoesNotContain(presented, text, StringComparison.Ordinal);
        }

        var body = await response.ReadJsonAsync();
        Assert.Equal(401, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
        Assert.Contains(detail, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
