using System.Net;
using MeshFlow.Api.Security;
using MeshFlow.Api.Tests.Support;

namespace MeshFlow.Api.Tests.Security;

public sealed class RateLimitTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_key_over_its_limit_gets_429_with_retry_after_while_another_key_is_unaffected()
    {
        await using var limited = factory.WithSettings(new Dictionary<string, string?> { [ApiSecurityConfiguration.RateLimit] = "2" });
        using var acme = limited.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        using var globex = limited.CreateAuthenticatedClient(ApiFactory.GlobexUserKey);

        using var first = await acme.PostMinimalAsync();
        using var second = await acme.PostMinimalAsync();
        using var third = await acme.PostMinimalAsync();
        using var other = await globex.PostMinimalAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        var retryAfter = Assert.Single(third.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(429, (await third.ReadJsonAsync()).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Health_probes_are_never_rate_limited()
    {
        await using var limited = factory.WithSettings(new Dictionary<string, string?> { [ApiSecurityConfiguration.RateLimit] = "1" });
        using var client = limited.CreateClient();

        for (var i = 0; i < 4; i++)
        {
            using var health = await client.GetWithTimeoutAsync("/health");
            using var alive = await client.GetWithTimeoutAsync("/alive");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }
    }

    [Fact]
    public async Task Requests_without_a_valid_key_are_limited_by_client_address()
    {
        await using var limited = factory.WithSettings(new Dictionary<string, string?> { [ApiSecurityConfiguration.RateLimit] = "2" });
        using var guesser = limited.CreateAuthenticatedClient("guessed-key");

        using var first = await guesser.PostMinimalAsync();
        using var second = await guesser.PostMinimalAsync();
        using var third = await guesser.PostMinimalAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
    }

    [Fact]
    public async Task A_limit_of_zero_turns_rate_limiting_off()
    {
        await using var unlimited = factory.WithSettings(new Dictionary<string, string?> { [ApiSecurityConfiguration.RateLimit] = "0" });
        using var client = unlimited.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        for (var i = 0; i < 5; i++)
        {
            using var response = await client.PostMinimalAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
