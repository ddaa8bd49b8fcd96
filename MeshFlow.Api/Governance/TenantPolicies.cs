using System.Text.Json;
using MeshFlow.Execution;
using MeshFlow.Governance;

namespace MeshFlow.Api.Governance;

/// <summary>
/// Tenants' default policies and ceilings, kept in the governance store (the ledger's database), so every API
/// instance and worker sees the same ones.
/// </summary>
public sealed class TenantPolicies(MeshFlowEngine engine)
{
    /// <summary>The tenant's policies, or null when none were set.</summary>
    public async Task<TenantPolicy?> ReadAsync(string tenantId, CancellationToken cancellationToken)
    {
        var json = await engine.Agents.Store.ReadTenantPolicyAsync(tenantId, cancellationToken);
        return json is null ? null : JsonSerializer.Deserialize<TenantPolicy>(json);
    }

    /// <summary>Replaces the tenant's policies.</summary>
    public Task SaveAsync(string tenantId, TenantPolicy policy, CancellationToken cancellationToken) =>
        engine.Agents.Store.SaveTenantPolicyAsync(tenantId, JsonSerializer.Serialize(policy), engine.TimeProvider.GetUtcNow(), cancellationToken);
}
