using System.Net;
using MeshFlow.Api.Security;
using MeshFlow.Api.Tests.Support;
using static MeshFlow.Api.Tests.Governance.GovernanceApi;

namespace MeshFlow.Api.Tests;

/// <summary>The README's human-approval example, as written there: examples/approvals/contract.yaml and the reviewer's curl.</summary>
public sealed class ReadmeApprovalExampleTests
{
    // The README's approve body, byte for byte.
    private const string ReadmeDecision = """{"reviewer_id": "dr.lee", "notes": "Indemnity capped; fine to send."}""";

    [Fact]
    public async Task The_contract_example_waits_for_legal_and_a_reviewer_key_sends_it_on()
    {
        await using var api = ApiFactory.Create(new Dictionary<string, string?>
        {
            [ApiSecurityConfiguration.ApiKeys] = "k1:acme:admin,k2:acme,k3:acme:reviewer",
        });
        using var user = api.CreateAuthenticatedClient("k2");
        using var reviewer = api.CreateAuthenticatedClient("k3");
        var yaml = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "examples", "approvals", "contract.yaml"),
            TestContext.Current.CancellationToken);

        var events = await StreamAsync(user, new { yaml, input = "Supply agreement with Contoso" });
        var pause = events.Single(e => e.Kind == "hitl_pause").Data;
        var runId = pause.GetProperty("run_id").GetString()!;
        using var pending = await user.GetWithTimeoutAsync("/hitl/pending");
        using var asUser = await user.PostWithTimeoutAsync($"/hitl/{runId}/approve", Json(ReadmeDecision));
        using var approved = await reviewer.PostWithTimeoutAsync($"/hitl/{runId}/approve", Json(ReadmeDecision));

        Assert.Equal("legal", pause.GetProperty("node_id").GetString());
        Assert.Equal("Check the indemnity clause before the draft goes out.",
            pause.GetProperty("data").GetProperty("context").GetProperty("instructions").GetString());
        Assert.Equal(runId, (await pending.ReadJsonAsync()).GetProperty("pending")[0].GetProperty("run_id").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, asUser.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        string? status;
        do
        {
            await Task.Delay(50, timeout.Token);
            using var run = await user.GetWithTimeoutAsync($"/runs/{runId}");
            status = (await run.ReadJsonAsync()).GetProperty("status").GetString();
        }
        while (status != "completed");

        using var trace = await user.GetWithTimeoutAsync($"/traces/{runId}");
        var kinds = (await trace.ReadJsonAsync()).GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("kind").GetString()).ToList();
        Assert.Contains("hitl_pause", kinds);
        Assert.Contains("hitl_decision", kinds);
        Assert.Equal("run_end", kinds[^1]);
    }
}
