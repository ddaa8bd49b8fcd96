using MeshFlow.Governance;
using MeshFlow.Governance.Identity;

namespace MeshFlow.Tests.Governance;

/// <summary>The store of an engine without a ledger keeps the contract the ledger stores keep, minus spend.</summary>
public sealed class InMemoryGovernanceStoreTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static AgentIdentity Candidate(string tenant = "acme", string node = "writer")
    {
        var (did, key) = DidKey.NewIdentity();
        return new AgentIdentity(tenant, "review", node, node, did, key, ["search"], At);
    }

    [Fact]
    public async Task The_first_registration_wins_and_capabilities_follow_the_latest()
    {
        var store = new InMemoryGovernanceStore();
        var first = await store.RegisterAgentAsync(Candidate());

        var second = await store.RegisterAgentAsync(Candidate() with { Capabilities = ["fetch", "search"] });

        Assert.Equal(first.Did, second.Did);
        Assert.Equal(["fetch", "search"], second.Capabilities);
    }

    [Fact]
    public async Task A_candidate_whose_did_is_not_its_key_or_names_another_agent_is_refused()
    {
        var store = new InMemoryGovernanceStore();
        var writer = await store.RegisterAgentAsync(Candidate());

        Assert.Throws<ArgumentException>(() => store.RegisterAgentAsync(Candidate() with { Did = writer.Did }).GetAwaiter().GetResult());
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.RegisterAgentAsync(writer with { NodeId = "critic" }));
    }

    [Fact]
    public async Task Revocation_is_scoped_to_the_tenant_keeps_its_first_reason_and_needs_one()
    {
        var store = new InMemoryGovernanceStore();
        var writer = await store.RegisterAgentAsync(Candidate());

        Assert.Null(await store.RevokeAgentAsync("globex", writer.Did, "not yours", At));
        var revoked = await store.RevokeAgentAsync("acme", writer.Did, "leaked", At);
        var again = await store.RevokeAgentAsync("acme", writer.Did, "twice", At.AddHours(1));

        Assert.Equal(("leaked", At), (revoked!.RevokedReason, revoked.RevokedAt));
        Assert.Equal(("leaked", At), (again!.RevokedReason, again.RevokedAt));
        await Assert.ThrowsAsync<ArgumentException>(() => store.RevokeAgentAsync("acme", writer.Did, " ", At));
        Assert.Empty(await store.ListAgentsAsync("globex"));
    }

    [Fact]
    public async Task A_tenant_policy_must_be_json_and_is_the_tenants_own()
    {
        var store = new InMemoryGovernanceStore();
        await store.SaveTenantPolicyAsync("acme", """{"ceiling": {"max_steps": 5}}""", At);

        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveTenantPolicyAsync("acme", "{not json", At));
        Assert.Equal("""{"ceiling": {"max_steps": 5}}""", await store.ReadTenantPolicyAsync("acme"));
        Assert.Null(await store.ReadTenantPolicyAsync("globex"));
    }
}
