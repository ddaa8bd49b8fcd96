using System.Net;
using System.Text;
using MeshFlow.Api.Security;
using MeshFlow.Api.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MeshFlow.Api.Tests.Security;

public sealed class RequestSizeLimitTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const int Limit = 1024;

    private WebApplicationFactory<Program> Limited() =>
        factory.WithSettings(new Dictionary<string, string?> { [ApiSecurityConfiguration.MaxRequestBytes] = $"{Limit}" });

    [Fact]
    public async Task A_content_length_over_the_limit_is_a_413_problem_naming_the_limit()
    {
        await using var limited = Limited();
        using var client = limited.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var response = await client.PostWithTimeoutAsync(ValidateRequests.Path, new ByteArrayContent(new byte[Limit + 1])
        {
            Headers = { ContentType = new("application/yaml") },
        });

        await AssertTooLargeAsync(response);
    }

    [Fact]
    public async Task A_chunked_body_that_grows_past_the_limit_is_a_413_problem()
    {
        await using var limited = Limited();
        using var client = limited.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        using var content = new ChunkedContent(Encoding.UTF8.GetBytes(new string('#', 4 * Limit)), "application/yaml");
        Assert.Null(content.Headers.ContentLength);

        using var response = await client.PostWithTimeoutAsync(ValidateRequests.Path, content);

        await AssertTooLargeAsync(response);
    }

    [Fact]
    public async Task A_chunked_json_body_bound_as_a_parameter_past_the_limit_is_a_413_problem()
    {
        await using var app = await SecuredTestApp.StartAsync(new Dictionary<string, string?>
        {
            [ApiSecurityConfiguration.ApiKeys] = ApiFactory.ApiKeys,
            [ApiSecurityConfiguration.MaxRequestBytes] = $"{Limit}",
        });
        using var client = app.CreateClient(ApiFactory.AcmeUserKey);
        var json = $"{{\"padding\": \"{new string('x', 4 * Limit)}\"}}";

        using var small = await client.PostWithTimeoutAsync("/bound", new ChunkedContent(Encoding.UTF8.GetBytes("{\"a\": 1}"), "application/json"));
        using var large = await client.PostWithTimeoutAsync("/bound", new ChunkedContent(Encoding.UTF8.GetBytes(json), "application/json"));

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        await AssertTooLargeAsync(large);
    }

    [Fact]
    public async Task Bodies_within_the_limit_are_read_as_usual_chunked_or_not()
    {
        await using var limited = Limited();
        using var client = limited.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var sized = await client.PostMinimalAsync();
        using var chunked = await client.PostWithTimeoutAsync(ValidateRequests.Path,
            new ChunkedContent(Encoding.UTF8.GetBytes(ValidateRequests.MinimalYaml), "application/yaml"));

        Assert.Equal(HttpStatusCode.OK, sized.StatusCode);
        Assert.Equal(HttpStatusCode.OK, chunked.StatusCode);
    }

    [Fact]
    public async Task The_default_limit_is_one_mebibyte()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var response = await client.PostWithTimeoutAsync(ValidateRequests.Path, new ByteArrayContent(new byte[(1024 * 1024) + 1])
        {
            Headers = { ContentType = new("application/yaml") },
        });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("1048576 bytes", (await response.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task AssertTooLargeAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.ReadJsonAsync();
        Assert.Equal(413, body.GetProperty("status").GetInt32());
        Assert.Contains($"{Limit} bytes", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
