using System.Net;
using System.Security.Cryptography;
using System.Text;
using MeshFlow.Api.Security;
using MeshFlow.Api.Tests.Support;

namespace MeshFlow.Api.Tests.Security;

public sealed class ApiKeyConfigurationTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("meshflow-key-files-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task A_key_bound_to_a_tenant_acts_for_it_and_an_unbound_key_for_the_default_tenant()
    {
        await using var app = await SecuredTestApp.StartAsync(new Dictionary<string, string?>
        {
            [ApiSecurityConfiguration.ApiKeys] = "claims-acme-key:acme:admin, claims-unbound-key",
            [ApiSecurityConfiguration.DefaultTenant] = "tenant-zero",
        });
        using var acme = app.CreateClient("claims-acme-key");
        using var unbound = app.CreateClient("claims-unbound-key");

        var acmeClaims = await (await acme.GetWithTimeoutAsync("/whoami")).ReadJsonAsync();
        var unboundClaims = await (await unbound.GetWithTimeoutAsync("/whoami")).ReadJsonAsync();

        Assert.Equal("acme", acmeClaims.GetProperty("tenant_id").GetString());
        Assert.Equal("admin", acmeClaims.GetProperty("role").GetString());
        Assert.Equal(KeyIdOf("claims-acme-key"), acmeClaims.GetProperty("key_id").GetString());
        Assert.Equal("tenant-zero", unboundClaims.GetProperty("tenant_id").GetString());
        Assert.Equal("user", unboundClaims.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Without_a_configured_default_tenant_unbound_keys_belong_to_default()
    {
        await using var app = await SecuredTestApp.StartAsync(new Dictionary<string, string?>
        {
            [ApiSecurityConfiguration.ApiKeys] = "plain-unbound-key",
        });
        using var client = app.CreateClient("plain-unbound-key");

        var claims = await (await client.GetWithTimeoutAsync("/whoami")).ReadJsonAsync();

        Assert.Equal("default", claims.GetProperty("tenant_id").GetString());
    }

    [Fact]
    public async Task The_admin_policy_admits_admin_keys_and_answers_other_keys_403_as_problem_details()
    {
        await using var app = await SecuredTestApp.StartAsync(new Dictionary<string, string?>
        {
            [ApiSecurityConfiguration.ApiKeys] = ApiFactory.ApiKeys,
        });
        using var admin = app.CreateClient(ApiFactory.AcmeAdminKey);
        using var user = app.CreateClient(ApiFactory.AcmeUserKey);
        using var anonymous = app.CreateClient();

        using var admitted = await admin.GetWithTimeoutAsync("/admin");
        using var forbidden = await user.GetWithTimeoutAsync("/admin");
        using var unauthenticated = await anonymous.GetWithTimeoutAsync("/admin");

        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
        Assert.Equal(403, (await forbidden.ReadJsonAsync()).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    [Fact]
    public async Task Keys_from_a_file_are_accepted_with_their_tenants_and_comments_are_ignored()
    {
        var file = await WriteKeyFileAsync("""
            # Keys for the initech integration
            file-admin-key:initech:admin

               # an indented comment
            file-user-key
            """);
        await using var app = await SecuredTestApp.StartAsync(new Dictionary<string, string?>
        {
            [ApiSecurityConfiguration.ApiKeysFile] = file,
        });
        using var admin = app.CreateClient("file-admin-key");
        using var user = app.CreateClient("file-user-key");
        using var comment = app.CreateClient("#");

        var adminClaims = await (await admin.GetWithTimeoutAsync("/whoami")).ReadJsonAsync();
        var userClaims = await (await user.GetWithTimeoutAsync("/whoami")).ReadJsonAsync();
        using var refused = await comment.GetWithTimeoutAsync("/whoami");

        Assert.Equal("initech", adminClaims.GetProperty("tenant_id").GetString());
        Assert.Equal("admin", adminClaims.GetProperty("role").GetString());
        Assert.Equal("default", userClaims.GetProperty("tenant_id").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Keys_from_the_variable_and_the_file_are_both_accepted()
    {
        var file = await WriteKeyFileAsync("both-file-key:globex");
        await using var factory = ApiFactory.Create(new Dictionary<string, string?>
        {
            [ApiSecurityConfiguration.ApiKeys] = "both-env-key:acme",
            [ApiSecurityConfiguration.ApiKeysFile] = file,
        });
        using var fromEnvironment = factory.CreateAuthenticatedClient("both-env-key");
        using var fromFile = factory.CreateAuthenticatedClient("both-file-key");

        using var first = await fromEnvironment.PostMinimalAsync();
        using var second = await fromFile.PostMinimalAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Theory]
    [InlineData("good-key-1:acme,secret-bad-role-key:acme:superuser", "MESHFLOW_API_KEYS entry 2", "role")]
    [InlineData("secret-bad-tenant-key:not a tenant!", "MESHFLOW_API_KEYS entry 1", "tenant")]
    [InlineData("secret-bad-fields-key:acme:admin:extra", "MESHFLOW_API_KEYS entry 1", "fields")]
    [InlineData("secret-repeated-key:acme,secret-repeated-key:globex", "MESHFLOW_API_KEYS entry 2 repeats the key of MESHFLOW_API_KEYS entry 1", "repeats")]
    public void A_bad_entry_stops_start_up_naming_its_position_but_never_its_key(string keys, string position, string problem)
    {
        using var factory = ApiFactory.Create(new Dictionary<string, string?> { [ApiSecurityConfiguration.ApiKeys] = keys });

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var messages = StartupFailure.MessagesOf(failure);
        Assert.Contains(position, messages, StringComparison.Ordinal);
        Assert.Contains(problem, messages, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_role_in_the_key_file_stops_start_up_naming_its_line()
    {
        var file = await WriteKeyFileAsync("""
            # comment
            secret-file-good-key

            secret-file-bad-key:acme:root
            """);
        using var factory = ApiFactory.Create(new Dictionary<string, string?> { [ApiSecurityConfiguration.ApiKeysFile] = file });

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var messages = StartupFailure.MessagesOf(failure);
        Assert.Contains("MESHFLOW_API_KEYS_FILE line 4 has an unknown role", messages, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-", messages, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_default_tenant_stops_start_up()
    {
        using var factory = ApiFactory.Create(new Dictionary<string, string?> { [ApiSecurityConfiguration.DefaultTenant] = "no/slashes" });

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("MESHFLOW_DEFAULT_TENANT", StartupFailure.MessagesOf(failure), StringComparison.Ordinal);
    }

    private static string KeyIdOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];

    private async Task<string> WriteKeyFileAsync(string text)
    {
        var path = Path.Combine(_folder.FullName, "keys.txt");
        await File.WriteAllTextAsync(path, text, TestContext.Current.CancellationToken);
        return path;
    }
}
