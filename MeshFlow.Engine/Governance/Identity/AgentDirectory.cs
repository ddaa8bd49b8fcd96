using System.Collections.Concurrent;
using MeshFlow.Workflows;

namespace MeshFlow.Governance.Identity;

/// <summary>
/// Gives every agent of a tenant's workflow its identity: a <c>did:key</c>, stable for the same tenant, workflow and
/// node across runs and workers (the governance store keeps the first one made), with its capabilities; and tells,
/// fresh from the store at every step, whether it was revoked.
/// </summary>
public sealed class AgentDirectory
{
    private readonly ConcurrentDictionary<(string Tenant, string Workflow, string Node), AgentIdentity> _known = new();
    private readonly TimeProvider _time;

    /// <summary>Creates a directory over a governance store.</summary>
    public AgentDirectory(IGovernanceStore store, TimeProvider? timeProvider = null)
    {
        Store = store ?? throw new ArgumentNullException(nameof(store));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Where identities, revocations and tenant policies are kept.</summary>
    public IGovernanceStore Store { get; }

    /// <summary>
    /// The agent's identity as it stands now (revocation read from the store), registering it on first use and
    /// updating its capabilities (the tools it declares) when they changed.
    /// </summary>
    public async ValueTask<AgentIdentity> IdentifyAsync(string tenantId, string workflow, AgentNode node, IReadOnlyList<string> capabilities,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(capabilities);
        var key = (tenantId, workflow, node.Id);
        if (_known.TryGetValue(key, out var known) && known.Capabilities.SequenceEqual(capabilities, StringComparer.Ordinal))
        {
            // Known here: only whether it was revoked since can have changed, on any worker. An identity the store no
            // longer holds is registered again below rather than trusted from this process's memory.
            if (await Store.ReadAgentAsync(tenantId, known.Did, cancellationToken).ConfigureAwait(false) is { } current)
            {
                if (current.IsRevoked)
                {
                    _known[key] = current;
                }

                return current;
            }

            _known.TryRemove(key, out _);
        }

        var (did, publicKey) = DidKey.NewIdentity();
        var candidate = new AgentIdentity(tenantId, workflow, node.Id, node.AgentId, did, publicKey, [.. capabilities], _time.GetUtcNow());
        var stored = await Store.RegisterAgentAsync(candidate, cancellationToken).ConfigureAwait(false);
        _known[key] = stored;
        return stored;
    }
}
