using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using MeshFlow.Cli.Tests.Support;

namespace MeshFlow.Cli.Tests;

/// <summary><c>meshflow serve</c> and the keys it accepts: each test starts its own server on its own data folder.</summary>
public sealed partial class ServeCommandTests
{
    [Fact]
    public async Task Without_a_key_serve_generates_one_prints_it_once_accepts_it_and_stops_cleanly_on_ctrl_c()
    {
        using var data = new TempDirectory();
        string key;
        await using (var first = await CliProcess.ServeAsync(["--port", "0", "--data-dir", data.Path], interruptible: true,
            cancellationToken: TestContext.Current.CancellationToken))
        {
            key = Assert.Single(GeneratedKey().Matches(first.Output)).Value;
            Assert.Contains("MeshFlow generated an API key (tenant 'default', role admin", first.Output, StringComparison.Ordinal);
            CliAssert.Succeeds(await MeshFlowCli.RunAsync(["runs", "--url", first.Url, "--api-key", key], cancellationToken: TestContext.Current.CancellationToken));

            var exitCode = await first.InterruptAsync(TestContext.Current.CancellationToken);

            Assert.True(exitCode == 0, $"exit {exitCode}\n{first}");
            Assert.Contains("MeshFlow API stopped", first.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", first.Error, StringComparison.Ordinal);
        }

        await using var second = await CliProcess.ServeAsync(["--port", "0", "--data-dir", data.Path],
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Empty(GeneratedKey().Matches(second.Output));
        Assert.DoesNotContain("generated an API key", second.Output, StringComparison.Ordinal);
        CliAssert.Succeeds(await MeshFlowCli.RunAsync(["runs", "--url", second.Url, "--api-key", key], cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task With_a_certificate_serve_answers_https_only()
    {
        using var folder = new TempDirectory();
        var (certificate, key, thumbprint) = await WriteSelfSignedAsync(folder, "server");

        await using var serve = await CliProcess.ServeAsync(
            ["--port", "0", "--data-dir", folder.File("data"), "--api-key", "tls-test-key", "--tls-cert", certificate, "--tls-key", key],
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.StartsWith("https://", serve.Url, StringComparison.Ordinal);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == thumbprint };
        using var https = new HttpClient(handler) { Timeout = TestTimeouts.Default };
        using var health = await https.GetAsync(new Uri($"{serve.Url}/health"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        using var plain = new HttpClient { Timeout = TestTimeouts.Default };
        var port = new Uri(serve.Url).Port;
        await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync(new Uri($"http://127.0.0.1:{port}/health"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task With_a_certificate_a_plain_endpoint_from_kestrels_configuration_stops_the_server_in_one_line()
    {
        using var folder = new TempDirectory();
        var (certificate, key, _) = await WriteSelfSignedAsync(folder, "server");
        var plainPort = FreePort.Next();

        var result = await MeshFlowCli.RunAsync(
            ["serve", "--port", "0", "--data-dir", folder.File("data"), "--api-key", "tls-test-key", "--tls-cert", certificate, "--tls-key", key],
            folder.Path, new Dictionary<string, string?> { ["Kestrel__Endpoints__Plain__Url"] = $"http://127.0.0.1:{plainPort}" },
            cancellationToken: TestContext.Current.CancellationToken);

        CliAssert.FailsWithOneLine(result, 1, $"TLS was asked for, but Kestrel's configuration also listens on http://127.0.0.1:{plainPort} without it");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_data_folder_serve_creates_is_readable_by_its_owner_only()
    {
        using var folder = new TempDirectory();

        await using (await CliProcess.ServeAsync(["--port", "0", "--data-dir", folder.File("data"), "--api-key", "mode-test-key"],
            cancellationToken: TestContext.Current.CancellationToken))
        {
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder.File("data")));
    }

    [Fact]
    public async Task A_key_that_is_not_the_certificates_own_is_one_line_and_no_server()
    {
        using var folder = new TempDirectory();
        var (certificate, _, _) = await WriteSelfSignedAsync(folder, "one");
        var (_, otherKey, _) = await WriteSelfSignedAsync(folder, "two");

        var result = await MeshFlowCli.RunAsync(["serve", "--port", "0", "--data-dir", folder.File("data"), "--tls-cert", certificate, "--tls-key", otherKey],
            cancellationToken: TestContext.Current.CancellationToken);

        CliAssert.FailsWithOneLine(result, 2, $"the TLS certificate '{certificate}' and key '{otherKey}' cannot be used");
    }

    [Fact]
    public async Task A_setting_the_api_cannot_start_with_is_one_line_naming_it_and_no_server()
    {
        using var folder = new TempDirectory();

        var result = await MeshFlowCli.RunAsync(["serve", "--port", "0", "--data-dir", folder.Path], environment: new Dictionary<string, string?>
        {
            ["MESHFLOW_API_KEYS"] = "secret-key-1:acme:owner",
        }, cancellationToken: TestContext.Current.CancellationToken);

        CliAssert.FailsWithOneLine(result, 1, "MESHFLOW_API_KEYS entry 1 has an unknown role; roles are user, reviewer, admin.");
        Assert.DoesNotContain("secret-key-1", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_certificate_or_a_certificate_without_its_key_is_one_line()
    {
        using var folder = new TempDirectory();
        var (certificate, _, _) = await WriteSelfSignedAsync(folder, "server");

        var missing = await MeshFlowCli.RunAsync(["serve", "--tls-cert", folder.File("nope.pem"), "--tls-key", folder.File("nope.key")],
            cancellationToken: TestContext.Current.CancellationToken);
        var alone = await MeshFlowCli.RunAsync(["serve", "--tls-cert", certificate], cancellationToken: TestContext.Current.CancellationToken);

        CliAssert.FailsWithOneLine(missing, 2, $"the TLS certificate file '{folder.File("nope.pem")}' does not exist");
        CliAssert.FailsWithOneLine(alone, 2, "--tls-cert needs --tls-key");
    }

    [Fact]
    public async Task Generated_keys_are_accepted_by_a_server_given_them_each_with_its_role()
    {
        var admin = await MeshFlowCli.RunAsync(["admin", "keys", "generate", "--tenant", "acme", "--role", "admin"],
            cancellationToken: TestContext.Current.CancellationToken);
        var user = await MeshFlowCli.RunAsync(["admin", "keys", "generate", "--tenant", "acme"], cancellationToken: TestContext.Current.CancellationToken);
        CliAssert.Succeeds(admin);
        CliAssert.Succeeds(user);
        var (adminKey, adminEntry, adminHash) = Parse(admin);
        var (userKey, userEntry, _) = Parse(user);
        Assert.Equal($"{adminKey}:acme:admin", adminEntry);
        Assert.Equal($"{userKey}:acme:user", userEntry);
        Assert.Equal($"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(adminKey)))} acme admin", adminHash);

        using var data = new TempDirectory();
        await using var serve = await CliProcess.ServeAsync(["--port", "0", "--data-dir", data.Path],
            new Dictionary<string, string?> { ["MESHFLOW_API_KEYS"] = $"{adminEntry},{userEntry}" }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.DoesNotContain("generated an API key", serve.Output, StringComparison.Ordinal);

        var asUser = await MeshFlowCli.RunAsync(["runs", "--url", serve.Url, "--api-key", userKey], cancellationToken: TestContext.Current.CancellationToken);
        var userDecides = await MeshFlowCli.RunAsync(["admin", "policy", "get", "acme", "--url", serve.Url, "--api-key", userKey],
            cancellationToken: TestContext.Current.CancellationToken);
        var asAdmin = await MeshFlowCli.RunAsync(["admin", "policy", "get", "acme", "--url", serve.Url, "--api-key", adminKey],
            cancellationToken: TestContext.Current.CancellationToken);

        CliAssert.Succeeds(asUser);
        CliAssert.FailsWithOneLine(userDecides, 1, "the API key's role may not do this");
        CliAssert.Succeeds(asAdmin);
    }

    [Fact]
    public async Task A_key_role_other_than_user_reviewer_or_admin_is_a_usage_error()
    {
        var result = await MeshFlowCli.RunAsync(["admin", "keys", "generate", "--role", "owner"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("owner", CliAssert.ErrorLines(result)[0], StringComparison.Ordinal);
    }

    private static (string Key, string Entry, string HashLine) Parse(CliResult result)
    {
        string Field(string name) =>
            result.Output.Split('\n').Single(line => line.StartsWith(name, StringComparison.Ordinal))[name.Length..].Trim();
        return (Field("key:"), Field("MESHFLOW_API_KEYS:"), Field("api-keys.sha256:"));
    }

    private static async Task<(string Certificate, string Key, string Thumbprint)> WriteSelfSignedAsync(TempDirectory folder, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = folder.File($"{name}.crt.pem");
        var keyPath = folder.File($"{name}.key.pem");
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);
        return (certificatePath, keyPath, certificate.Thumbprint);
    }

    [GeneratedRegex(@"\bmf_[A-Za-z0-9_-]{20,}")]
    private static partial Regex GeneratedKey();
}
