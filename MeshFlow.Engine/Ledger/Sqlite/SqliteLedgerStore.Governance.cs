using System.Globalization;
using MeshFlow.Governance;
using MeshFlow.Governance.Identity;
using Microsoft.Data.Sqlite;

namespace MeshFlow.Ledger.Sqlite;

// Governance's tables (migration 6) in the ledger's file: agents, their revocations, tenant policies, tenant spend.
// Writes take the write lock like appends do, so a registration's insert, update and read are one atomic step.
public sealed partial class SqliteLedgerStore : IGovernanceStore
{
    private const int SqliteConstraintUnique = 2067;

    private const string ReadAgentByNodeSql =
        $"SELECT {GovernanceRows.AgentColumns} FROM agents WHERE tenant_id = $tenant AND workflow = $workflow AND node_id = $node";

    private const string ReadAgentByDidSql = $"SELECT {GovernanceRows.AgentColumns} FROM agents WHERE tenant_id = $tenant AND did = $did";

    /// <inheritdoc />
    public async Task<AgentIdentity> RegisterAgentAsync(AgentIdentity candidate, CancellationToken cancellationToken = default)
    {
        GovernanceRows.Validate(candidate);
        cancellationToken.ThrowIfCancellationRequested();
        var capabilities = GovernanceRows.CapabilitiesJson(candidate.Capabilities);
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var insert = Command(connection, transaction, """
                INSERT INTO agents (tenant_id, workflow, node_id, agent_id, did, public_key, capabilities, created_at)
                VALUES ($tenant, $workflow, $node, $agent, $did, $key, $capabilities, $at)
                ON CONFLICT (tenant_id, workflow, node_id) DO NOTHING
                """))
            {
                AddNode(insert, candidate);
                insert.Parameters.AddWithValue("$agent", candidate.AgentId);
                insert.Parameters.AddWithValue("$did", candidate.Did);
                insert.Parameters.AddWithValue("$key", candidate.PublicKey);
                insert.Parameters.AddWithValue("$capabilities", capabilities);
                insert.Parameters.AddWithValue("$at", candidate.CreatedAt.ToUnixTimeMilliseconds());
                try
                {
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintUnique)
                {
                    throw new InvalidOperationException($"tenant '{candidate.TenantId}' already has an agent with DID '{candidate.Did}' on another node", ex);
                }
            }

            using (var update = Command(connection, transaction, """
                UPDATE agents SET capabilities = $capabilities
                WHERE tenant_id = $tenant AND workflow = $workflow AND node_id = $node AND capabilities <> $capabilities
                """))
            {
                AddNode(update, candidate);
                update.Parameters.AddWithValue("$capabilities", capabilities);
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            AgentIdentity stored;
            using (var read = Command(connection, transaction, ReadAgentByNodeSql))
            {
                AddNode(read, candidate);
                stored = (await ReadAgentsAsync(read, cancellationToken).ConfigureAwait(false))[0];
            }

            transaction.Commit();
            return stored;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<AgentIdentity?> ReadAgentAsync(string tenantId, string did, CancellationToken cancellationToken = default)
    {
        GovernanceRows.ValidateAgentKey(tenantId, did);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, ReadAgentByDidSql);
        AddDid(command, tenantId, did);
        return (await ReadAgentsAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AgentIdentity>> ListAgentsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null,
            $"SELECT {GovernanceRows.AgentColumns} FROM agents WHERE tenant_id = $tenant ORDER BY workflow, node_id");
        command.Parameters.AddWithValue("$tenant", tenantId);
        return await ReadAgentsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<AgentIdentity?> RevokeAgentAsync(string tenantId, string did, string reason, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        GovernanceRows.ValidateAgentKey(tenantId, did);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var revoke = Command(connection, transaction, """
                UPDATE agents SET revoked_at = $at, revoked_reason = $reason
                WHERE tenant_id = $tenant AND did = $did AND revoked_at IS NULL
                """))
            {
                AddDid(revoke, tenantId, did);
                revoke.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
                revoke.Parameters.AddWithValue("$reason", reason);
                await revoke.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using var read = Command(connection, transaction, ReadAgentByDidSql);
            AddDid(read, tenantId, did);
            var agent = (await ReadAgentsAsync(read, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
            transaction.Commit();
            return agent;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<string?> ReadTenantPolicyAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, "SELECT policy FROM tenant_policies WHERE tenant_id = $tenant");
        command.Parameters.AddWithValue("$tenant", tenantId);
        return (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SaveTenantPolicyAsync(string tenantId, string policyJson, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        GovernanceRows.ValidatePolicy(tenantId, policyJson);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command(connection, null, """
                INSERT INTO tenant_policies (tenant_id, policy, updated_at) VALUES ($tenant, $policy, $at)
                ON CONFLICT (tenant_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at
                """);
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$policy", policyJson);
            command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>SQLite keeps costs as decimal text, so they are summed here, in <see cref="decimal"/>, exactly.</remarks>
    public async Task<decimal> ReadTenantSpendAsync(string tenantId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, SpendSql);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$since", GovernanceRows.FirstMillisecond(since));
        var total = 0m;
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            total += decimal.Parse(reader.GetString(0), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        }

        return total;
    }

    /// <summary>The costs of tenant $tenant's step records from $since (unix ms), read from the spend index alone.</summary>
    internal const string SpendSql = $"""
        SELECT cost_usd FROM ledger_records INDEXED BY ix_ledger_records_spend
        WHERE tenant_id = $tenant AND ts >= $since AND {Migration0006Governance.CostlyStep}
        """;

    private static async Task<List<AgentIdentity>> ReadAgentsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var agents = new List<AgentIdentity>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            agents.Add(GovernanceRows.Agent(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<byte[]>(5), reader.GetString(6), reader.GetInt64(7), reader.IsDBNull(8) ? null : reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return agents;
    }

    private static void AddNode(SqliteCommand command, AgentIdentity agent)
    {
        command.Parameters.AddWithValue("$tenant", agent.TenantId);
        command.Parameters.AddWithValue("$workflow", agent.Workflow);
        command.Parameters.AddWithValue("$node", agent.NodeId);
    }

    private static void AddDid(SqliteCommand command, string tenantId, string did)
    {
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$did", did);
    }
}
