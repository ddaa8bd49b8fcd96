using System.Net;
using MeshFlow.Api.Security;
using MeshFlow.Api.Tests.Support;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Ledger;
using Microsoft.Extensions.DependencyInjection;
using static MeshFlow.Api.Tests.Governance.GovernanceApi;

namespace MeshFlow.Api.Tests;

/// <summary>
/// The README's governance examples, exactly as written there: the keys of <c>MESHFLOW_API_KEYS=k1:acme:admin,k2:acme</c>
/// and the example workflows registered. Each test has an API (and data folder) of its own, since a ceiling or a
/// revocation changes what every later run of the tenant may do.
/// </summary>
public sealed class ReadmeGovernanceApiExampleTests
{
    private const string PutBody =
        """{"default": "standard", "ceiling": {"max_steps": 50, "max_cost_usd": 5, "max_daily_cost_usd": 100, "risk_threshold": "high"}}""";

    private static ApiFactory ReadmeApi() => ApiFactory.Create(new Dictionary<string, string?>
    {
        [ApiSecurityConfiguration.ApiKeys] = "k1:acme:admin,k2:acme",
        ["MESHFLOW_WORKFLOWS_DIR"] = Path.Combine(AppContext.BaseDirectory, "examples"),
    });

    [Fact]
    public async Task The_readme_ceiling_refuses_a_looser_field_and_tightens_what_a_mode_brings()
    {
        await using var api = ReadmeApi();
        using var admin = api.CreateAuthenticatedClient("k1");
        using var user = api.CreateAuthenticatedClient("k2");

        using var put = await PutAsync(admin, "/admin/tenants/acme/policy", Json(PutBody));
        using var read = await admin.GetWithTimeoutAsync("/admin/tenants/acme/policy");
        using var refused = await user.PostWithTimeoutAsync("/runs",
            Json("""{"workflow": "review", "input": "A mutual NDA", "policy": {"max_steps": 500}}"""));
        using var tightened = await user.PostWithTimeoutAsync("/runs", Json("""{"workflow": "review", "input": "A mutual NDA", "policy": "dev"}"""));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(50, (await read.ReadJsonAsync()).GetProperty("ceiling").GetProperty("max_steps").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.ReadJsonAsync();
        Assert.Equal("policy.max_steps", problem.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Contains("max_steps 500 is above the tenant's ceiling of 50", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Accepted, tightened.StatusCode);
        var runId = (await tightened.ReadJsonAsync()).GetProperty("run_id").GetString()!;
        var records = await api.Services.GetRequiredService<AuditLedger>().Store.ReadRecordsAsync("acme", runId, TestContext.Current.CancellationToken);
        var policy = LedgerPayloads.ReadRunStart(records[0].Payload).Policy;
        Assert.Equal((PolicyModes.Dev, 50, 5m, 100m, RiskTier.High),
            (policy.Mode, policy.MaxSteps, policy.MaxCostUsd, policy.MaxDailyCostUsd, policy.RiskThreshold));
    }

    [Fact]
    public async Task The_readme_lists_the_tenants_agents_and_a_revoked_agent_is_blocked_at_its_next_step()
    {
        await using var api = ReadmeApi();
        using var admin = api.CreateAuthenticatedClient("k1");
        using var user = api.CreateAuthenticatedClient("k2");
        var first = await StreamAsync(user, new { workflow = "review", input = "A mutual NDA" });
        Assert.Equal("completed", RunEnd(first).GetProperty("status").GetString());

        using var policies = await user.GetWithTimeoutAsync("/policies");
        using var agents = await user.GetWithTimeoutAsync("/agents");
        var writer = (await agents.ReadJsonAsync()).GetProperty("agents").EnumerateArray()
            .Single(a => a.GetProperty("node_id").GetString() == "writer");
        var did = writer.GetProperty("did").GetString()!;
        using var revoked = await admin.PostWithTimeoutAsync($"/admin/agents/{did}/revoke", Json("""{"reason": "credentials leaked"}"""));
        var second = await StreamAsync(user, new { workflow = "review", input = "A mutual NDA" });

        Assert.Equal(HttpStatusCode.OK, policies.StatusCode);
        Assert.StartsWith("did:key:z6Mk", did, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.True((await revoked.ReadJsonAsync()).GetProperty("revoked").GetBoolean());
        Assert.Equal("blocked", RunEnd(second).GetProperty("status").GetString());
        var blocked = StepEnd(second, "writer");
        Assert.Equal(("blocked", "identity"), (blocked.GetProperty("verdict").GetString(), blocked.GetProperty("block_reason").GetString()));
        Assert.Equal(did, blocked.GetProperty("agent_did").GetString());
    }
}
