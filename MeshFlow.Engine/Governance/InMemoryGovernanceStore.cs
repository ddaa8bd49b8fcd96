using System.Collections.Concurrent;
using MeshFlow.Governance.Identity;

namespace MeshFlow.Governance;

/// <summary>
/// The governance store of an engine without a ledger: agent identities and tenant policies in this process only.
/// It holds no ledger records, so it knows of no spend (<see cref="ReadTenantSpendAsync"/> answers 0); the engine
/// counts what its own runs spent.
/// </summary>
public sealed class InMemoryGovernanceStore : IGovernanceStore
{
    private readonly ConcurrentDictionary<(string Tenant, string Workflow, string Node), AgentIdentity> _agents = new();
    private readonly ConcurrentDictionary<(string Tenant, string Did), (string Workflow, string Node)> _byDid = new();
    private readonly ConcurrentDictionary<string, string> _policies = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public Task<AgentIdentity> RegisterAgentAsync(AgentIdentity candidate, CancellationToken cancellationToken = default)
    {
        GovernanceRows.Validate(candidate);
        lock (_gate)
        {
            var key = (candidate.TenantId, candidate.Workflow, candidate.NodeId);
            if (!_agents.TryGetValue(key, out var stored))
            {
                if (_byDid.ContainsKey((candidate.TenantId, candidate.Did)))
                {
                    throw new InvalidOperationException($"DID '{candidate.Did}' already names another agent of tenant '{candidate.TenantId}'");
                }

                _agents[key] = candidate;
                _byDid[(candidate.TenantId, candidate.Did)] = (candidate.Workflow, candidate.NodeId);
                return Task.FromResult(candidate);
            }

            if (!stored.Capabilities.SequenceEqual(candidate.Capabilities, StringComparer.Ordinal))
            {
                stored = _agents[key] = stored with { Capabilities = [.. candidate.Capabilities] };
            }

            return Task.FromResult(stored);
        }
    }

    /// <inheritdoc />
    public Task<AgentIdentity?> ReadAgentAsync(string tenantId, string did, CancellationToken cancellationToken = default) =>
        Task.FromResult(_byDid.TryGetValue((tenantId, did), out var at) ? _agents.GetValueOrDefault((tenantId, at.Workflow, at.Node)) : null);

    /// <inheritdoc />
    public Task<IReadOnlyList<AgentIdentity>> ListAgentsAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AgentIdentity>>([.. _agents.Values.Where(a => a.TenantId == tenantId)
            .OrderBy(a => a.Workflow, StringComparer.Ordinal).ThenBy(a => a.NodeId, StringComparer.Ordinal)]);

    /// <inheritdoc />
    public Task<AgentIdentity?> RevokeAgentAsync(string tenantId, string did, string reason, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        GovernanceRows.ValidateAgentKey(tenantId, did);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_gate)
        {
            if (!_byDid.TryGetValue((tenantId, did), out var where))
            {
                return Task.FromResult<AgentIdentity?>(null);
            }

            var key = (tenantId, where.Workflow, where.Node);
            var stored = _agents[key];
            if (!stored.IsRevoked)
            {
                stored = _agents[key] = stored with { RevokedAt = at, RevokedReason = reason };
            }

            return Task.FromResult<AgentIdentity?>(stored);
        }
    }

    /// <inheritdoc />
    public Task<string?> ReadTenantPolicyAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_policies.GetValueOrDefault(tenantId));

    /// <inheritdoc />
    public Task SaveTenantPolicyAsync(string tenantId, string policyJson, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        GovernanceRows.ValidatePolicy(tenantId, policyJson);
        _policies[tenantId] = policyJson;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<decimal> ReadTenantSpendAsync(string tenantId, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        Task.FromResult(0m);
}
