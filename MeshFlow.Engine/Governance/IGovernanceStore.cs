using MeshFlow.Governance.Identity;

namespace MeshFlow.Governance;

/// <summary>
/// What governance keeps between runs: the agents' identities and their revocations, each tenant's policy, and what
/// each tenant has spent. The ledger stores implement it over the same database (SQLite or Postgres); their
/// <c>MigrateAsync</c> creates its tables.
/// </summary>
/// <remarks>
/// <para><b>Tenancy.</b> Every table has a tenant id and every operation is scoped to one tenant: another tenant's
/// DID reads as null, exactly like a missing one, and revoking it changes nothing.</para>
/// <para><b>Registration.</b> <see cref="RegisterAgentAsync"/> is insert-if-absent keyed by (tenant, workflow, node):
/// the first caller's identity wins and every caller, concurrent workers included, gets the stored identity back, so
/// a node has one DID however many workers start its runs. When the stored capabilities differ from the candidate's
/// (an agent's declared tools change between versions of a workflow) they are replaced by the candidate's, and the
/// updated identity is returned. Registration never undoes a revocation and never revokes.</para>
/// <para><b>Revocation.</b> <see cref="RevokeAgentAsync"/> is idempotent: the first revocation's time and reason
/// stand, and a later one changes nothing.</para>
/// <para><b>Time.</b> Times are kept to the millisecond and read back in UTC.</para>
/// <para><b>Policies.</b> A tenant's policy is opaque JSON text, replaced whole by each save.</para>
/// <para><b>Spend.</b> <see cref="ReadTenantSpendAsync"/> sums the <c>cost_usd</c> of the tenant's step records
/// exactly, in decimal. Appending a zero-cost record must cost the ledger nothing extra for it (most records of an
/// offline run cost nothing): the stores keep an index of costly step records only.</para>
/// </remarks>
public interface IGovernanceStore
{
    /// <summary>
    /// Registers <paramref name="candidate"/> unless its (tenant, workflow, node) already has an identity, and returns
    /// the stored identity, with its capabilities set to the candidate's.
    /// </summary>
    /// <exception cref="ArgumentException">The candidate is incomplete, revoked, or its DID is not the did:key of its public key.</exception>
    /// <exception cref="InvalidOperationException">The candidate's DID already names another node of the tenant.</exception>
    Task<AgentIdentity> RegisterAgentAsync(AgentIdentity candidate, CancellationToken cancellationToken = default);

    /// <summary>The tenant's agent with this DID, or null.</summary>
    Task<AgentIdentity?> ReadAgentAsync(string tenantId, string did, CancellationToken cancellationToken = default);

    /// <summary>The tenant's agents, ordered by workflow, then node (ordinally).</summary>
    Task<IReadOnlyList<AgentIdentity>> ListAgentsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes the tenant's agent with this DID at <paramref name="at"/> for <paramref name="reason"/>, unless it is
    /// revoked already (then the first revocation stands), and returns it; null when the tenant has no such DID.
    /// </summary>
    Task<AgentIdentity?> RevokeAgentAsync(string tenantId, string did, string reason, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The tenant's policy as the JSON text last saved, or null.</summary>
    Task<string?> ReadTenantPolicyAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Saves (replaces) the tenant's policy.</summary>
    /// <exception cref="ArgumentException"><paramref name="policyJson"/> is not JSON.</exception>
    Task SaveTenantPolicyAsync(string tenantId, string policyJson, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The sum of <c>cost_usd</c> over the tenant's step records (kind <c>step</c>) made at or after <paramref name="since"/>.</summary>
    Task<decimal> ReadTenantSpendAsync(string tenantId, DateTimeOffset since, CancellationToken cancellationToken = default);
}
