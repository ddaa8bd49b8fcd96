using System.Net;
using System.Text;
using System.Text.Json;
using MeshFlow.Api.Tests.Support;
using MeshFlow.Ledger.Evidence;
using MeshFlow.Tests.Http;

namespace MeshFlow.Api.Tests;

/// <summary><c>GET /traces/{run_id}/export</c> and <c>GET /ledger/keys</c>: a run's evidence bundle, verified offline against the pinned key.</summary>
public sealed class TraceExportEndpointTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private HttpClient Acme() => factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

    private HttpClient Globex() => factory.CreateAuthenticatedClient(ApiFactory.GlobexUserKey);

    private static async Task<string> CompletedRunAsync(HttpClient client)
    {
        using var response = await client.PostWithTimeoutAsync("/runs",
            new StringContent(JsonSerializer.Serialize(new { yaml = RunEndpointTests.Review, input = "NDA" }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.ReadJsonAsync()).GetProperty("run_id").GetString()!;

        using var events = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/runs/{runId}/events"), HttpCompletionOption.ResponseHeadersRead,
            TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        var all = await ServerSentEvents.ReadAllAsync(await events.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        Assert.Equal("run_end", all[^1].Event);
        return runId;
    }

    private static async Task<IReadOnlyDictionary<string, byte[]>> PinnedKeysAsync(HttpClient client)
    {
        using var response = await client.GetWithTimeoutAsync("/ledger/keys");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var keys = body.GetProperty("keys").EnumerateObject().ToDictionary(k => k.Name, k => Convert.FromBase64String(k.Value.GetString()!));
        Assert.Contains(body.GetProperty("current_key_id").GetString()!, keys.Keys);
        return keys;
    }

    [Fact]
    public async Task A_completed_runs_export_is_a_bundle_that_verifies_against_the_services_pinned_key()
    {
        using var client = Acme();
        var runId = await CompletedRunAsync(client);

        using var response = await client.GetWithTimeoutAsync($"/traces/{runId}/export");
        var bundle = EvidenceBundles.Read(await response.ReadTextAsync());
        var verification = EvidenceBundles.Verify(bundle, await PinnedKeysAsync(client));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((EvidenceBundles.Format, ApiFactory.AcmeTenant, runId, EvidenceBundles.PayloadsIncluded), (bundle.Format, bundle.TenantId, bundle.RunId, bundle.Payloads));
        Assert.Equal(6, bundle.Records.Count);
        Assert.All(bundle.Records, r => Assert.NotNull(r.Payload));
        Assert.True(verification is { Valid: true, Records: 6, HeadSigned: true, PayloadsChecked: true, KeysFromBundle: false }, verification.Summary);

        using var verify = await client.GetWithTimeoutAsync($"/traces/{runId}/verify");
        Assert.True((await verify.ReadJsonAsync()).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_hashes_only_export_leaves_every_payload_out_and_still_verifies()
    {
        using var client = Acme();
        var runId = await CompletedRunAsync(client);

        using var response = await client.GetWithTimeoutAsync($"/traces/{runId}/export?hashes_only=true");
        var text = await response.ReadTextAsync();
        var bundle = EvidenceBundles.Read(text);
        var verification = EvidenceBundles.Verify(bundle);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(EvidenceBundles.PayloadsHashesOnly, bundle.Payloads);
        Assert.All(bundle.Records, r => Assert.Null(r.Payload));
        Assert.DoesNotContain("Draft the clause", text, StringComparison.Ordinal);
        Assert.True(verification is { Valid: true, PayloadsChecked: false, KeysFromBundle: true }, verification.Summary);
    }

    [Fact]
    public async Task Another_tenants_run_exports_as_a_404_identical_to_a_missing_one()
    {
        using var acme = Acme();
        var runId = await CompletedRunAsync(acme);
        const string Missing = "run_00000000000000000000000000000000";
        using var globex = Globex();

        using var theirs = await globex.GetWithTimeoutAsync($"/traces/{runId}/export");
        using var missing = await globex.GetWithTimeoutAsync($"/traces/{Missing}/export");

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", theirs.Content.Headers.ContentType?.MediaType);
        var (a, b) = (await theirs.ReadJsonAsync(), await missing.ReadJsonAsync());
        Assert.Equal("Run not found", a.GetProperty("title").GetString());
        Assert.Equal(b.GetProperty("title").GetString(), a.GetProperty("title").GetString());
        Assert.Equal(b.GetProperty("detail").GetString()!.Replace(Missing, runId, StringComparison.Ordinal), a.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Export_and_keys_need_an_api_key()
    {
        using var anonymous = factory.CreateClient();

        using var export = await anonymous.GetWithTimeoutAsync("/traces/run_x/export");
        using var keys = await anonymous.GetWithTimeoutAsync("/ledger/keys");

        Assert.Equal(HttpStatusCode.Unauthorized, export.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, keys.StatusCode);
    }
}
