using System.Net;
using MeshFlow.Api.Security;
using MeshFlow.Api.Tests.Support;

namespace MeshFlow.Api.Tests.Security;

/// <summary><c>GET /me</c>: a client checks its key and learns its tenant and role, never the key itself.</summary>
public sealed class MeEndpointTests : IAsyncLifetime
{
    private const string WrongKey = "wrong-me-key-that-must-never-be-echoed";
    private readonly string _tenant = "tenant-" + Guid.NewGuid().ToString("N");
    private readonly Dictionary<string, string> _keys = new()
    {
        ["user"] = "me-user-" + Guid.NewGuid().ToString("N"),
        ["reviewer"] = "me-reviewer-" + Guid.NewGuid().ToString("N"),
        ["admin"] = "me-admin-" + Guid.NewGuid().ToString("N"),
    };

    private ApiFactory _factory = null!;

    public ValueTask InitializeAsync()
    {
        var keys = string.Join(',', _keys.Select(k => $"{k.Value}:{_tenant}:{k.Key}"));
        _factory = ApiFactory.Create(new Dictionary<string, string?> { [ApiSecurityConfiguration.ApiKeys] = keys });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData("user")]
    [InlineData("reviewer")]
    [InlineData("admin")]
    public async Task Me_answers_the_keys_tenant_and_role_and_nothing_of_the_key(string role)
    {
        using var client = _factory.CreateAuthenticatedClient(_keys[role]);

        using var response = await client.GetWithTimeoutAsync("/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.ReadTextAsync();
        Assert.DoesNotContain(_keys[role], text, StringComparison.Ordinal);
        var body = await response.ReadJsonAsync();
        Assert.Equal([("tenant", _tenant), ("role", role)],
            body.EnumerateObject().Select(p => (p.Name, p.Value.GetString())).ToArray());
    }

    [Fact]
    public async Task Me_with_a_wrong_key_is_a_401_problem_without_the_key_or_a_stack_trace()
    {
        using var client = _factory.CreateAuthenticatedClient(WrongKey);

        using var response = await client.GetWithTimeoutAsync("/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.ReadTextAsync();
        Assert.DoesNotContain(WrongKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.Equal(401, (await response.ReadJsonAsync()).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Me_without_a_key_is_a_401_problem()
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetWithTimeoutAsync("/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
