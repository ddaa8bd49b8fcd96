using System.Net;
using MeshFlow.Api.Tests.Support;
using static MeshFlow.Api.Tests.Governance.GovernanceApi;

namespace MeshFlow.Api.Tests.Governance;

public sealed class AgentEndpointTests
{
    private static async Task<string> CriticDidAsync(HttpClient client)
    {
        var events = await StreamAsync(client, new { yaml = ThreeSteps, input = "x" });
        Assert.Equal("completed", RunEnd(events).GetProperty("status").GetString());
        return StepEnd(events, "critic").GetProperty("agent_did").GetString()!;
    }

    [Fact]
    public async Task Agents_lists_the_tenants_agents_with_their_dids_and_capabilities_and_no_other_tenants()
    {
        await using var api = OwnTenant("agents");
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var other = api.CreateAuthenticatedClient(OtherKey);
        var did = await CriticDidAsync(user);

        using var mine = await user.GetWithTimeoutAsync("/agents");
        using var theirs = await other.GetWithTimeoutAsync("/agents");

        var agents = (await mine.ReadJsonAsync()).GetProperty("agents").EnumerateArray().ToList();
        Assert.Equal(["critic", "editor", "writer"], agents.Select(a => a.GetProperty("node_id").GetString()));
        var critic = agents.Single(a => a.GetProperty("node_id").GetString() == "critic");
        Assert.Equal(did, critic.GetProperty("did").GetString());
        Assert.StartsWith("did:key:z6Mk", did, StringComparison.Ordinal);
        Assert.False(critic.GetProperty("revoked").GetBoolean());
        Assert.Equal(0, critic.GetProperty("capabilities").GetArrayLength());
        Assert.Empty((await theirs.ReadJsonAsync()).GetProperty("agents").EnumerateArray());
    }

    [Fact]
    public async Task A_revoked_agent_blocks_its_next_run_with_identity_and_the_first_reason_stands()
    {
        await using var api = OwnTenant("revoke");
        using var admin = api.CreateAuthenticatedClient(AdminKey);
        using var user = api.CreateAuthenticatedClient(UserKey);
        var did = await CriticDidAsync(user);

        using var revoked = await admin.PostWithTimeoutAsync($"/admin/agents/{did}/revoke", Json(new { reason = "signing key leaked" }));
        using var again = await admin.PostWithTimeoutAsync($"/admin/agents/{did}/revoke", Json(new { reason = "second thoughts" }));
        var events = await StreamAsync(user, new { yaml = ThreeSteps, input = "x" });

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var view = await revoked.ReadJsonAsync();
        Assert.True(view.GetProperty("revoked").GetBoolean());
        Assert.Equal("signing key leaked", (await again.ReadJsonAsync()).GetProperty("revoked_reason").GetString());
        Assert.Equal("blocked", RunEnd(events).GetProperty("status").GetString());
        var critic = StepEnd(events, "critic");
        Assert.Equal("identity", critic.GetProperty("block_reason").GetString());
        Assert.Contains("signing key leaked", critic.GetProperty("block_detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("commit", StepEnd(events, "writer").GetProperty("verdict").GetString());
    }

    [Theory]
    [InlineData("not-a-did", """{"reason": "x"}""", HttpStatusCode.BadRequest, "did")]
    [InlineData("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", """{"reason": "x"}""", HttpStatusCode.NotFound, null)]
    [InlineData("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", """{}""", HttpStatusCode.BadRequest, "reason")]
    [InlineData("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", """{"reason": "  "}""", HttpStatusCode.BadRequest, "reason")]
    [InlineData("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", """{"reason": "x", "why": 1}""", HttpStatusCode.BadRequest, "why")]
    public async Task A_bad_revocation_names_its_field_and_an_unknown_agent_is_404(string did, string body, HttpStatusCode status, string? field)
    {
        await using var api = OwnTenant("bad-revoke");
        using var admin = api.CreateAuthenticatedClient(AdminKey);

        using var response = await admin.PostWithTimeoutAsync($"/admin/agents/{did}/revoke", Json(body));

        Assert.Equal(status, response.StatusCode);
        if (field is not null)
        {
            Assert.Equal(field, (await response.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("path").GetString());
        }
    }

    [Fact]
    public async Task Another_tenants_agent_is_404_exactly_like_a_missing_one_and_a_user_key_may_not_revoke()
    {
        await using var api = OwnTenant("fenced");
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var otherApi = api.CreateAuthenticatedClient(OtherKey);
        var did = await CriticDidAsync(otherApi);

        using var asUser = await user.PostWithTimeoutAsync($"/admin/agents/{did}/revoke", Json(new { reason = "x" }));
        using var admin = api.CreateAuthenticatedClient(AdminKey);
        using var foreign = await admin.PostWithTimeoutAsync($"/admin/agents/{did}/revoke", Json(new { reason = "x" }));
        using var missing = await admin.PostWithTimeoutAsync("/admin/agents/did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK/revoke", Json(new { reason = "x" }));

        Assert.Equal(HttpStatusCode.Forbidden, asUser.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal((await missing.ReadJsonAsync()).GetProperty("title").GetString(), (await foreign.ReadJsonAsync()).GetProperty("title").GetString());
        var events = await StreamAsync(otherApi, new { yaml = ThreeSteps, input = "x" });
        Assert.Equal("completed", RunEnd(events).GetProperty("status").GetString());
    }
}
