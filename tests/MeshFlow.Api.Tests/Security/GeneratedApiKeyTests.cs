using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MeshFlow.Api.Security;
using MeshFlow.Api.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFlow.Api.Tests.Security;

public sealed partial class GeneratedApiKeyTests
{
    [Fact]
    public async Task Without_keys_the_api_prints_a_generated_key_once_keeps_its_hash_and_accepts_it_after_a_restart()
    {
        await using var factory = ApiFactory.Create(new Dictionary<string, string?> { [ApiSecurityConfiguration.ApiKeys] = "" });
        var hashFile = Path.Combine(factory.DataDirectory, "api-keys.sha256");

        var firstConsole = new StringWriter();
        string key;
        await using (var first = WithConsole(factory, firstConsole))
        {
            using var anonymous = first.CreateClient();
            var printed = firstConsole.ToString();
            Assert.Contains("MeshFlow generated an API key", printed, StringComparison.Ordinal);
            Assert.Contains("it will not be shown again", printed, StringComparison.Ordinal);
            Assert.Contains("MESHFLOW_API_KEYS", printed, StringComparison.Ordinal);
            key = Assert.Single(GeneratedKey().Matches(printed)).Value;

            using var refused = await anonymous.PostMinimalAsync();
            using var accepted = await first.CreateAuthenticatedClient(key).PostMinimalAsync();
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        var stored = await File.ReadAllTextAsync(hashFile, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(key["mf_".Length..], stored, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), stored, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(hashFile));
        }

        var secondConsole = new StringWriter();
        await using (var second = WithConsole(factory, secondConsole))
        {
            using var client = second.CreateAuthenticatedClient(key);
            using var accepted = await client.PostMinimalAsync();
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        Assert.Empty(secondConsole.ToString());
        Assert.Equal(stored, await File.ReadAllTextAsync(hashFile, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_generated_key_is_an_admin_of_the_default_tenant()
    {
        await using var factory = ApiFactory.Create(new Dictionary<string, string?>
        {
            [ApiSecurityConfiguration.ApiKeys] = "",
            [ApiSecurityConfiguration.DefaultTenant] = "first-tenant",
        });
        var console = new StringWriter();
        await using var app = WithConsole(factory, console);
        using var started = app.CreateClient();

        var stored = await File.ReadAllLinesAsync(Path.Combine(factory.DataDirectory, "api-keys.sha256"), TestContext.Current.CancellationToken);

        var entry = Assert.Single(stored, line => !line.StartsWith('#')).Split(' ');
        Assert.Equal(["first-tenant", "admin"], entry[1..]);
    }

    [Fact]
    public async Task Configured_keys_leave_the_data_folder_alone_and_print_nothing()
    {
        await using var factory = new ApiFactory();
        var console = new StringWriter();
        await using var app = WithConsole(factory, console);

        using var client = app.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        using var response = await client.PostMinimalAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(console.ToString());
        Assert.False(File.Exists(Path.Combine(factory.DataDirectory, "api-keys.sha256")));
    }

    [Fact]
    public async Task Without_keys_and_without_a_writable_data_folder_start_up_fails_saying_what_to_set()
    {
        await using var factory = ApiFactory.Create(new Dictionary<string, string?> { [ApiSecurityConfiguration.ApiKeys] = "" });
        var notAFolder = Path.Combine(factory.DataDirectory, "a-file");
        await File.WriteAllTextAsync(notAFolder, "", TestContext.Current.CancellationToken);
        var console = new StringWriter();
        await using var app = WithConsole(factory.WithSettings(new Dictionary<string, string?>
        {
            ["MESHFLOW_DATA_DIR"] = Path.Combine(notAFolder, "data"),
        }), console);

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Set MESHFLOW_API_KEYS, or MESHFLOW_DATA_DIR to a writable folder", StartupFailure.MessagesOf(failure), StringComparison.Ordinal);
        Assert.Empty(console.ToString());
    }

    private static WebApplicationFactory<Program> WithConsole(WebApplicationFactory<Program> factory, TextWriter console) =>
        factory.WithWebHostBuilder(host => host.ConfigureTestServices(services => services.AddSingleton(new ApiKeyBanner(console))));

    [GeneratedRegex("mf_[A-Za-z0-9_-]{43}")]
    private static partial Regex GeneratedKey();
}
