using MeshFlow.Governance;
using MeshFlow.Governance.Identity;
using MeshFlow.Ledger;

namespace MeshFlow.Tests.Ledger.Contract;

/// <summary>
/// What every <see cref="IGovernanceStore"/> must do, run against each ledger store that implements it by subclassing.
/// Each test makes its own tenants, so none counts rows another wrote.
/// </summary>
public abstract class GovernanceStoreContractTests<TStore> : IAsyncLifetime
    where TStore : class, ILedgerStore, IGovernanceStore
{
    /// <summary>The longest any single wait in these tests may take (scaled by MESHFLOW_TEST_TIMEOUT_SCALE).</summary>
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(
        60 * (int.TryParse(Environment.GetEnvironmentVariable("MESHFLOW_TEST_TIMEOUT_SCALE"), out var scale) && scale > 0 ? scale : 1));

    private static readonly DateTimeOffset At = LedgerRecordFactory.Epoch;

    /// <summary>The store under test: fresh and migrated for each test.</summary>
    protected TStore Store { get; private set; } = null!;

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Creates a fresh, migrated store with its own file or database.</summary>
    protected abstract Task<TStore> CreateStoreAsync();

    public virtual async ValueTask InitializeAsync() => Store = await CreateStoreAsync().WaitAsync(Timeout);

    public virtual async ValueTask DisposeAsync()
    {
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected static string NewTenant() => "tenant-" + Guid.NewGuid().ToString("N");

    protected static AgentIdentity Candidate(string tenant, string node = "writer", string workflow = "review", params string[] capabilities)
    {
        var (did, publicKey) = DidKey.NewIdentity();
        return new AgentIdentity(tenant, workflow, node, node + "-agent", did, publicKey, capabilities, At);
    }

    [Fact]
    public async Task Registering_a_node_twice_returns_the_first_identity()
    {
        var tenant = NewTenant();
        var first = Candidate(tenant, capabilities: "search");
        var second = Candidate(tenant, capabilities: "search") with { CreatedAt = At.AddHours(1) };

        Assert.Equal(first, await Store.RegisterAgentAsync(first, Token));
        Assert.Equal(first, await Store.RegisterAgentAsync(second, Token));

        Assert.Equal(first, await Store.ReadAgentAsync(tenant, first.Did, Token));
        Assert.Null(await Store.ReadAgentAsync(tenant, second.Did, Token));
        Assert.Equal([first], await Store.ListAgentsAsync(tenant, Token));
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_node_all_get_the_one_stored_did()
    {
        var tenant = NewTenant();
        var candidates = Enumerable.Range(0, 24).Select(_ => Candidate(tenant, capabilities: ["search", "fetch"])).ToList();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var registrations = candidates.Select(candidate => Task.Run(async () =>
        {
            await go.Task;
            return await Store.RegisterAgentAsync(candidate, Token);
        }, Token)).ToArray();
        go.SetResult();
        var results = await Task.WhenAll(registrations).WaitAsync(Timeout, Token);

        var stored = Assert.Single(await Store.ListAgentsAsync(tenant, Token));
        Assert.All(results, result => Assert.Equal(stored, result));
        Assert.Contains(candidates, candidate => candidate == stored);
    }

    [Fact]
    public async Task Registration_replaces_changed_capabilities_and_keeps_the_identity()
    {
        var tenant = NewTenant();
        var first = await Store.RegisterAgentAsync(Candidate(tenant, capabilities: "search"), Token);

        var updated = await Store.RegisterAgentAsync(Candidate(tenant, capabilities: ["search", "fetch"]), Token);

        Assert.Equal(first with { Capabilities = ["search", "fetch"] }, updated);
        Assert.Equal(updated, await Store.ReadAgentAsync(tenant, first.Did, Token));
        var none = await Store.RegisterAgentAsync(Candidate(tenant), Token);
        Assert.Equal(first with { Capabilities = [] }, none);
        Assert.Empty((await Store.ReadAgentAsync(tenant, first.Did, Token))!.Capabilities);
    }

    [Fact]
    public async Task Registration_never_undoes_a_revocation()
    {
        var tenant = NewTenant();
        var agent = await Store.RegisterAgentAsync(Candidate(tenant, capabilities: "search"), Token);
        var revoked = await Store.RevokeAgentAsync(tenant, agent.Did, "key leaked", At.AddMinutes(5), Token);

        var again = await Store.RegisterAgentAsync(Candidate(tenant, capabilities: "fetch"), Token);

        Assert.Equal(revoked! with { Capabilities = ["fetch"] }, again);
        Assert.True(again.IsRevoked);
        Assert.Equal("key leaked", again.RevokedReason);
    }

    [Fact]
    public async Task Revoked_agent_reads_back_revoked_with_its_reason_and_a_second_revocation_changes_nothing()
    {
        var tenant = NewTenant();
        var agent = await Store.RegisterAgentAsync(Candidate(tenant), Token);
        var when = At.AddHours(2);

        var revoked = await Store.RevokeAgentAsync(tenant, agent.Did, "compromised", when, Token);
        var again = await Store.RevokeAgentAsync(tenant, agent.Did, "rotated", when.AddHours(1), Token);

        Assert.Equal(agent with { RevokedAt = when, RevokedReason = "compromised" }, revoked);
        Assert.Equal(revoked, again);
        var read = await Store.ReadAgentAsync(tenant, agent.Did, Token);
        Assert.Equal(revoked, read);
        Assert.True(read!.IsRevoked);
        Assert.Equal(TimeSpan.Zero, read.RevokedAt!.Value.Offset);
    }

    [Fact]
    public async Task Revoking_an_unknown_did_answers_null_and_stores_nothing()
    {
        var tenant = NewTenant();
        var unknown = DidKey.NewIdentity().Did;

        Assert.Null(await Store.RevokeAgentAsync(tenant, unknown, "who?", At, Token));
        Assert.Null(await Store.ReadAgentAsync(tenant, unknown, Token));
        Assert.Empty(await Store.ListAgentsAsync(tenant, Token));
    }

    [Fact]
    public async Task Another_tenants_did_reads_as_missing_and_revoking_it_changes_nothing()
    {
        var (mine, theirs) = (NewTenant(), NewTenant());
        var agent = await Store.RegisterAgentAsync(Candidate(mine), Token);

        Assert.Null(await Store.ReadAgentAsync(theirs, agent.Did, Token));
        Assert.Null(await Store.RevokeAgentAsync(theirs, agent.Did, "not yours", At, Token));
        Assert.Empty(await Store.ListAgentsAsync(theirs, Token));
        Assert.Equal(agent, await Store.ReadAgentAsync(mine, agent.Did, Token));
        Assert.False(agent.IsRevoked);

        // The same node under the other tenant is another agent, with its own DID.
        var their = await Store.RegisterAgentAsync(Candidate(theirs), Token);
        Assert.NotEqual(agent.Did, their.Did);
        Assert.Equal([agent], await Store.ListAgentsAsync(mine, Token));
    }

    [Fact]
    public async Task Agents_are_listed_per_tenant_by_workflow_then_node()
    {
        var (tenant, other) = (NewTenant(), NewTenant());
        (string Workflow, string Node)[] nodes = [("triage", "b"), ("review", "writer"), ("Review", "z"), ("review", "critic"), ("triage", "a"), ("review", "Writer")];
        foreach (var (workflow, node) in nodes)
        {
            await Store.RegisterAgentAsync(Candidate(tenant, node, workflow), Token);
        }

        await Store.RegisterAgentAsync(Candidate(other, "intruder", "review"), Token);

        var listed = await Store.ListAgentsAsync(tenant, Token);

        var expected = nodes.OrderBy(n => n.Workflow, StringComparer.Ordinal).ThenBy(n => n.Node, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, listed.Select(a => (a.Workflow, a.NodeId)));
        Assert.All(listed, a => Assert.Equal(tenant, a.TenantId));
    }

    [Fact]
    public async Task A_did_already_naming_another_node_is_refused()
    {
        var tenant = NewTenant();
        var writer = await Store.RegisterAgentAsync(Candidate(tenant, "writer"), Token);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.RegisterAgentAsync(writer with { NodeId = "critic" }, Token));

        Assert.Equal([writer], await Store.ListAgentsAsync(tenant, Token));
    }

    [Fact]
    public async Task A_tenant_policy_is_saved_replaced_and_read_per_tenant()
    {
        var (tenant, other) = (NewTenant(), NewTenant());
        Assert.Null(await Store.ReadTenantPolicyAsync(tenant, Token));

        const string First = """{"budget":{"daily_usd":"25.00"},"approval":{"threshold":"high"}}""";
        const string Second = """{"budget":{"daily_usd":"5"},"tools":["search","条款"]}""";
        await Store.SaveTenantPolicyAsync(tenant, First, At, Token);
        Assert.Equal(First, await Store.ReadTenantPolicyAsync(tenant, Token));

        await Store.SaveTenantPolicyAsync(tenant, Second, At.AddDays(1), Token);
        Assert.Equal(Second, await Store.ReadTenantPolicyAsync(tenant, Token));
        Assert.Null(await Store.ReadTenantPolicyAsync(other, Token));
    }

    [Fact]
    public async Task Tenant_spend_sums_exactly_the_tenants_step_records_made_since_the_time_given()
    {
        var (tenant, other) = (NewTenant(), NewTenant());
        var since = At.AddHours(1);

        // Decimal, not floating point: 0.1 + 0.2 is 0.3 here, and the tiny and the large cost both count, to the last digit.
        await AppendStepsAsync(tenant, since, [0.1m, 0.2m, 0.000000000000000001m, 12345678.5678m, 0m, 0.000m, -0.05m]);
        await AppendStepsAsync(tenant, since.AddMilliseconds(-101), [1000m, 2000m]);
        await AppendStepsAsync(other, since, [7m, 8m]);

        Assert.Equal(12345678.817800000000000001m, await Store.ReadTenantSpendAsync(tenant, since, Token));
        Assert.Equal(12348678.817800000000000001m, await Store.ReadTenantSpendAsync(tenant, since.AddMilliseconds(-101), Token));
        Assert.Equal(15m, await Store.ReadTenantSpendAsync(other, since, Token));
        Assert.Equal(0m, await Store.ReadTenantSpendAsync(NewTenant(), At, Token));

        // Records are stamped in whole milliseconds: those made at `since` are not counted from a tick later.
        Assert.Equal(0m, await Store.ReadTenantSpendAsync(tenant, since.AddTicks(1), Token));
    }

    [Fact]
    public async Task Only_step_records_count_as_spend()
    {
        var tenant = NewTenant();
        var run = "run-" + Guid.NewGuid().ToString("N");
        var start = LedgerRecordFactory.Rehash(LedgerRecordFactory.RunStart(tenant, run) with { CostUsd = 3m, Timestamp = At });
        var step = LedgerRecordFactory.Rehash(LedgerRecordFactory.Step(tenant, run, start) with { CostUsd = 0.25m, Timestamp = At });
        var end = LedgerRecordFactory.Rehash(LedgerRecordFactory.RunEnd(step) with { CostUsd = 4m, Timestamp = At });
        foreach (var record in new[] { start, step, end })
        {
            await Store.AppendAsync(record, null, Token);
        }

        Assert.Equal(0.25m, await Store.ReadTenantSpendAsync(tenant, At, Token));
    }

    [Fact]
    public async Task Arguments_are_validated()
    {
        var tenant = NewTenant();
        var candidate = Candidate(tenant);

        await AssertInvalid("candidate", () => Store.RegisterAgentAsync(null!, Token));
        await AssertInvalid("candidate", () => Store.RegisterAgentAsync(candidate with { TenantId = "" }, Token));
        await AssertInvalid("candidate", () => Store.RegisterAgentAsync(candidate with { Did = DidKey.NewIdentity().Did }, Token));
        await AssertInvalid("candidate", () => Store.RegisterAgentAsync(candidate with { Did = "did:web:example.com" }, Token));
        await AssertInvalid("candidate", () => Store.RegisterAgentAsync(candidate with { RevokedAt = At, RevokedReason = "no" }, Token));
        await AssertInvalid("candidate", () => Store.RegisterAgentAsync(candidate with { Capabilities = ["search", ""] }, Token));
        await AssertInvalid("tenantId", () => Store.ReadAgentAsync("", candidate.Did, Token));
        await AssertInvalid("did", () => Store.ReadAgentAsync(tenant, null!, Token));
        await AssertInvalid("tenantId", () => Store.ListAgentsAsync("", Token));
        await AssertInvalid("reason", () => Store.RevokeAgentAsync(tenant, candidate.Did, "", At, Token));
        await AssertInvalid("policyJson", () => Store.SaveTenantPolicyAsync(tenant, "{not json", At, Token));
        await AssertInvalid("policyJson", () => Store.SaveTenantPolicyAsync(tenant, null!, At, Token));
        await AssertInvalid("tenantId", () => Store.ReadTenantPolicyAsync("", Token));
        await AssertInvalid("tenantId", () => Store.ReadTenantSpendAsync("", At, Token));

        Assert.Empty(await Store.ListAgentsAsync(tenant, Token));
        Assert.Null(await Store.ReadTenantPolicyAsync(tenant, Token));

        static async Task AssertInvalid(string parameter, Func<Task> call)
        {
            var error = await Assert.ThrowsAnyAsync<ArgumentException>(call);
            Assert.Equal(parameter, error.ParamName);
        }
    }

    // One run of step records, one per cost, every one made at `at`.
    private async Task AppendStepsAsync(string tenant, DateTimeOffset at, decimal[] costs)
    {
        var run = "run-" + Guid.NewGuid().ToString("N");
        LedgerRecord? previous = null;
        foreach (var cost in costs)
        {
            var record = LedgerRecordFactory.Rehash(LedgerRecordFactory.Step(tenant, run, previous) with { CostUsd = cost, Timestamp = at });
            Assert.Equal(AppendOutcome.Appended, await Store.AppendAsync(record, null, Token));
            previous = record;
        }
    }
}
