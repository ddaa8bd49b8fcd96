using System.Net;
using MeshFlow.Api.Tests.Support;
using MeshFlow.Ledger;
using Microsoft.Extensions.DependencyInjection;
using static MeshFlow.Api.Tests.Governance.GovernanceApi;

namespace MeshFlow.Api.Tests.Governance;

public sealed class PolicyEndpointTests
{
    [Fact]
    public async Task Policies_lists_the_four_presets_with_every_field_and_hipaa_differs_from_strict()
    {
        await using var api = OwnTenant("presets");
        using var client = api.CreateAuthenticatedClient(UserKey);

        using var response = await client.GetWithTimeoutAsync("/policies");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(["dev", "standard", "strict", "hipaa"], body.GetProperty("modes").EnumerateArray().Select(m => m.GetString()));
        var presets = body.GetProperty("presets");
        Assert.Equal("true", presets.GetProperty("hipaa").GetProperty("scrub_phi").GetString());
        Assert.Equal("false", presets.GetProperty("strict").GetProperty("scrub_phi").GetString());
        Assert.Equal("high", presets.GetProperty("strict").GetProperty("risk_threshold").GetString());
        var fields = body.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Contains("max_daily_cost_usd", fields);
        Assert.Contains("allowed_tools", fields);
        Assert.Equal("hitl", fields[^1]);
        Assert.StartsWith("{enabled: true, risk_threshold: none, webhook_url: none, timeout_seconds: 86400",
            presets.GetProperty("hipaa").GetProperty("hitl").GetString(), StringComparison.Ordinal);
        Assert.All(body.GetProperty("fields").EnumerateArray(), f => Assert.NotEmpty(f.GetProperty("meaning").GetString()!));
    }

    [Fact]
    public async Task Only_the_tenants_admin_sets_its_policy_and_another_tenant_reads_as_missing()
    {
        await using var api = OwnTenant("acl");
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var admin = api.CreateAuthenticatedClient(AdminKey);
        var body = Json("""{"ceiling": {"max_steps": 2}}""");

        using var asUser = await PutAsync(user, "/admin/tenants/acl/policy", body);
        using var otherTenant = await PutAsync(admin, "/admin/tenants/someone-else/policy", Json("""{"ceiling": {"max_steps": 2}}"""));
        using var saved = await PutAsync(admin, "/admin/tenants/acl/policy", Json("""{"ceiling": {"max_steps": 2}}"""));
        using var read = await admin.GetWithTimeoutAsync("/admin/tenants/acl/policy");

        Assert.Equal(HttpStatusCode.Forbidden, asUser.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.StatusCode);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(2, (await read.ReadJsonAsync()).GetProperty("ceiling").GetProperty("max_steps").GetInt32());
    }

    [Theory]
    [InlineData("""{"ceiling": {"max_stepz": 2}}""", "ceiling.max_stepz", "unknown policy field")]
    [InlineData("""{"default": "lenient"}""", "default", "unknown policy mode 'lenient'")]
    [InlineData("""{"ceiling": {"risk_threshold": "severe"}}""", "ceiling.risk_threshold", "risk tier")]
    [InlineData("""{"default": {"max_steps": 500}, "ceiling": {"max_steps": 50}}""", "default.max_steps", "ceiling")]
    [InlineData("""{"budget": 5}""", "budget", "unknown field 'budget'")]
    [InlineData("""[1]""", "body", "JSON object")]
    public async Task A_bad_tenant_policy_is_a_400_naming_the_field(string json, string field, string problem)
    {
        await using var api = OwnTenant("bad-policy");
        using var admin = api.CreateAuthenticatedClient(AdminKey);

        using var response = await PutAsync(admin, "/admin/tenants/bad-policy/policy", Json(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problemDetails = await response.ReadJsonAsync();
        Assert.Equal(field, problemDetails.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Contains(problem, problemDetails.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_asking_for_more_than_the_tenants_ceiling_is_refused_naming_the_field_and_the_ceiling()
    {
        await using var api = OwnTenant("ceiling");
        using var admin = api.CreateAuthenticatedClient(AdminKey);
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var set = await PutAsync(admin, "/admin/tenants/ceiling/policy", Json("""{"ceiling": {"max_steps": 2, "max_cost_usd": 1}}"""));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        using var tooMany = await user.PostWithTimeoutAsync("/runs", Json(new { yaml = ThreeSteps, input = "x", policy = new { max_steps = 10 } }));
        using var tooCostly = await user.PostWithTimeoutAsync("/runs", Json(new { yaml = ThreeSteps, input = "x", policy = new { max_cost_usd = 5 } }));

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        var problem = await tooMany.ReadJsonAsync();
        Assert.Equal("policy.max_steps", problem.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Contains("ceiling of 2", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooCostly.StatusCode);
        Assert.Equal("policy.max_cost_usd", (await tooCostly.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task A_run_asking_for_a_longer_approval_wait_than_the_ceiling_is_refused_naming_the_hitl_part()
    {
        await using var api = OwnTenant("hitl-ceiling");
        using var admin = api.CreateAuthenticatedClient(AdminKey);
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var set = await PutAsync(admin, "/admin/tenants/hitl-ceiling/policy", Json("""{"ceiling": {"hitl": {"timeout_seconds": 3600}}}"""));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        using var longer = await user.PostWithTimeoutAsync("/runs", Json(new { yaml = ThreeSteps, input = "x", policy = new { hitl = new { timeout_seconds = 7200 } } }));
        using var shorter = await user.PostWithTimeoutAsync("/runs", Json(new { yaml = ThreeSteps, input = "x", policy = new { hitl = new { timeout_seconds = 600 } } }));

        Assert.Equal(HttpStatusCode.BadRequest, longer.StatusCode);
        var problem = await longer.ReadJsonAsync();
        Assert.Equal("policy.hitl.timeout_seconds", problem.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Contains("hitl.timeout_seconds 7200 is above the tenant's ceiling of 3600", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, shorter.StatusCode);
    }

    [Fact]
    public async Task A_run_that_asks_for_nothing_or_less_is_held_to_the_ceiling_or_to_what_it_asked()
    {
        await using var api = OwnTenant("tighten");
        using var admin = api.CreateAuthenticatedClient(AdminKey);
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var other = api.CreateAuthenticatedClient(OtherKey);
        using var set = await PutAsync(admin, "/admin/tenants/tighten/policy", Json("""{"ceiling": {"max_steps": 2}}"""));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        var clamped = await StreamAsync(user, new { yaml = ThreeSteps, input = "x" });
        var tighter = await StreamAsync(user, new { yaml = ThreeSteps, input = "x", policy = new { max_steps = 1 } });
        var untouched = await StreamAsync(other, new { yaml = ThreeSteps, input = "x" });

        Assert.Equal("blocked", RunEnd(clamped).GetProperty("status").GetString());
        Assert.Equal("MaxSteps (2) reached", StepEnd(clamped, "editor").GetProperty("block_detail").GetString());
        Assert.Equal("blocked", RunEnd(tighter).GetProperty("status").GetString());
        Assert.Equal("MaxSteps (1) reached", StepEnd(tighter, "critic").GetProperty("block_detail").GetString());
        Assert.Equal("completed", RunEnd(untouched).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_tenant_whose_day_is_spent_gets_429_with_the_reason_and_when_to_retry()
    {
        await using var api = OwnTenant("spent");
        using var admin = api.CreateAuthenticatedClient(AdminKey);
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var other = api.CreateAuthenticatedClient(OtherKey);
        using var otherAdmin = api.CreateAuthenticatedClient(OtherAdminKey);
        using var set = await PutAsync(admin, "/admin/tenants/spent/policy", Json("""{"ceiling": {"max_daily_cost_usd": 1}}"""));
        using var setOther = await PutAsync(otherAdmin, "/admin/tenants/other-spent/policy", Json("""{"ceiling": {"max_daily_cost_usd": 1}}"""));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (set.StatusCode, setOther.StatusCode));

        // A step that cost $1.50 today, as a worker would have recorded it.
        var ledger = api.Services.GetRequiredService<AuditLedger>();
        await ledger.AppendAsync("spent", "run_spent", new LedgerEntry
        {
            Kind = LedgerRecordKinds.Step, StepId = "a:1", NodeId = "a", CostUsd = 1.5m,
            Payload = LedgerPayloads.Step(new StepPayload { StepId = "a:1", InputTask = "x", Output = "y" }),
        }, cancellationToken: TestContext.Current.CancellationToken);

        using var refused = await user.PostWithTimeoutAsync("/runs", Json(new { yaml = ThreeSteps, input = "x" }));
        using var elsewhere = await other.PostWithTimeoutAsync("/runs", Json(new { yaml = ThreeSteps, input = "x" }));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(int.Parse(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 86_400);
        var problem = await refused.ReadJsonAsync();
        Assert.Equal("budget", problem.GetProperty("reason").GetString());
        Assert.Contains("daily budget (max_daily_cost_usd) is $1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, elsewhere.StatusCode);
    }

    [Fact]
    public async Task A_tenant_default_applies_to_workflows_without_a_policy_and_never_loosens_one_that_declares_its_own()
    {
        await using var api = OwnTenant("defaults");
        using var admin = api.CreateAuthenticatedClient(AdminKey);
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var set = await PutAsync(admin, "/admin/tenants/defaults/policy", Json("""{"default": {"mode": "dev", "max_steps": 1}}"""));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var declared = ThreeSteps.Replace("name: three", "name: three\npolicy: { mode: strict, max_steps: 2 }", StringComparison.Ordinal);
        var standard = ThreeSteps.Replace("name: three", "name: three\npolicy: standard", StringComparison.Ordinal);

        var undeclared = await StreamAsync(user, new { yaml = ThreeSteps, input = "x" });
        var own = await StreamAsync(user, new { yaml = declared, input = "x" });
        var explicitStandard = await StreamAsync(user, new { yaml = standard, input = "x" });

        Assert.Equal("completed", RunEnd(explicitStandard).GetProperty("status").GetString());
        Assert.Equal("MaxSteps (1) reached", StepEnd(undeclared, "critic").GetProperty("block_detail").GetString());
        Assert.Equal("commit", StepEnd(own, "critic").GetProperty("verdict").GetString());
        Assert.Equal("MaxSteps (2) reached", StepEnd(own, "editor").GetProperty("block_detail").GetString());
    }
}
