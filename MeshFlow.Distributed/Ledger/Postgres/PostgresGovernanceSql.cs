using MeshFlow.Governance;

namespace MeshFlow.Distributed.Ledger.Postgres;

/// <summary>The governance store's statements (migration 6's tables). Every one is parameterised and filtered by tenant.</summary>
internal static class PostgresGovernanceSql
{
    /// <summary>
    /// Inserts agent ($1 tenant, $2 workflow, $3 node, $4 name, $5 DID, $6 public key, $7 capabilities, $8 created at)
    /// unless its node has one. A concurrent insert of the same node is waited for, then this one does nothing.
    /// </summary>
    public const string InsertAgent = """
        INSERT INTO agents (tenant_id, workflow, node_id, agent_id, did, public_key, capabilities, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (tenant_id, workflow, node_id) DO NOTHING
        """;

    /// <summary>Sets the capabilities of node ($1 tenant, $2 workflow, $3 node) to $4 when they differ.</summary>
    public const string UpdateCapabilities = """
        UPDATE agents SET capabilities = $4
        WHERE tenant_id = $1 AND workflow = $2 AND node_id = $3 AND capabilities IS DISTINCT FROM $4
        """;

    /// <summary>The agent of node ($1 tenant, $2 workflow, $3 node).</summary>
    public const string ReadAgentByNode =
        "SELECT " + GovernanceRows.AgentColumns + " FROM agents WHERE tenant_id = $1 AND workflow = $2 AND node_id = $3";

    /// <summary>The agent ($1 tenant, $2 DID).</summary>
    public const string ReadAgentByDid = "SELECT " + GovernanceRows.AgentColumns + " FROM agents WHERE tenant_id = $1 AND did = $2";

    /// <summary>Tenant $1's agents by workflow, then node, ordered by their UTF-8 bytes (as on SQLite).</summary>
    public const string ListAgents =
        "SELECT " + GovernanceRows.AgentColumns + """ FROM agents WHERE tenant_id = $1 ORDER BY workflow COLLATE "C", node_id COLLATE "C" """;

    /// <summary>Revokes agent ($1 tenant, $2 DID) at $3 (unix ms) for $4, unless it is revoked already.</summary>
    public const string RevokeAgent = """
        UPDATE agents SET revoked_at = $3, revoked_reason = $4
        WHERE tenant_id = $1 AND did = $2 AND revoked_at IS NULL
        """;

    /// <summary>The policy of tenant $1.</summary>
    public const string ReadPolicy = "SELECT policy FROM tenant_policies WHERE tenant_id = $1";

    /// <summary>Saves (replaces) the policy $2 of tenant $1 at $3 (unix ms).</summary>
    public const string SavePolicy = """
        INSERT INTO tenant_policies (tenant_id, policy, updated_at) VALUES ($1, $2, $3)
        ON CONFLICT (tenant_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at
        """;

    /// <summary>
    /// The sum of the costs of tenant $1's step records from $2 (unix ms). Its predicate implies the spend index's, so
    /// the sum is read from that index; numeric sums exactly.
    /// </summary>
    public const string ReadSpend = """
        SELECT coalesce(sum(cost_usd), 0) FROM ledger_records
        WHERE tenant_id = $1 AND ts >= $2 AND kind = 'step' AND cost_usd <> 0
        """;
}
