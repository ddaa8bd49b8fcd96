using MeshFlow.Governance;
using MeshFlow.Governance.Identity;
using Npgsql;

namespace MeshFlow.Distributed.Ledger.Postgres;

// Governance's tables (migration 6) in the ledger's database. A write and the read of its result go in one batch: one
// round trip, whose statements each see what the ones before them, and any concurrent writer they waited for, committed.
public sealed partial class PostgresLedgerStore : IGovernanceStore
{
    /// <inheritdoc />
    public async Task<AgentIdentity> RegisterAgentAsync(AgentIdentity candidate, CancellationToken cancellationToken = default)
    {
        GovernanceRows.Validate(candidate);
        if (HasNul(candidate.TenantId, candidate.Workflow, candidate.NodeId, candidate.AgentId) || candidate.Capabilities.Any(c => HasNul(c)))
        {
            throw new ArgumentException("an agent's text fields cannot hold a NUL character", nameof(candidate));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var capabilities = GovernanceRows.CapabilitiesJson(candidate.Capabilities);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Statement(PostgresGovernanceSql.InsertAgent, [.. Node(candidate), LedgerRecordRows.Text(candidate.AgentId),
                    LedgerRecordRows.Text(candidate.Did), LedgerRecordRows.Bytes(candidate.PublicKey), LedgerRecordRows.Text(capabilities),
                    LedgerRecordRows.BigInt(candidate.CreatedAt.ToUnixTimeMilliseconds())]),
                Statement(PostgresGovernanceSql.UpdateCapabilities, [.. Node(candidate), LedgerRecordRows.Text(capabilities)]),
                Statement(PostgresGovernanceSql.ReadAgentByNode, Node(candidate)),
            },
        };
        try
        {
            return (await ReadAgentsAsync(batch, cancellationToken).ConfigureAwait(false))[0];
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException($"tenant '{candidate.TenantId}' already has an agent with DID '{candidate.Did}' on another node", ex);
        }
    }

    /// <inheritdoc />
    public async Task<AgentIdentity?> ReadAgentAsync(string tenantId, string did, CancellationToken cancellationToken = default)
    {
        GovernanceRows.ValidateAgentKey(tenantId, did);
        cancellationToken.ThrowIfCancellationRequested();

        // Postgres text cannot hold U+0000, so no stored agent matches such a value (and sending it would fail).
        if (HasNul(tenantId, did))
        {
            return null;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { Statement(PostgresGovernanceSql.ReadAgentByDid, AgentKey(tenantId, did)) } };
        return (await ReadAgentsAsync(batch, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AgentIdentity>> ListAgentsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        if (HasNul(tenantId))
        {
            return [];
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands = { Statement(PostgresGovernanceSql.ListAgents, [LedgerRecordRows.Text(tenantId)]) },
        };
        return await ReadAgentsAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<AgentIdentity?> RevokeAgentAsync(string tenantId, string did, string reason, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        GovernanceRows.ValidateAgentKey(tenantId, did);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (HasNul(reason))
        {
            throw new ArgumentException("a revocation reason cannot hold a NUL character", nameof(reason));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (HasNul(tenantId, did))
        {
            return null;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Statement(PostgresGovernanceSql.RevokeAgent,
                    [.. AgentKey(tenantId, did), LedgerRecordRows.BigInt(at.ToUnixTimeMilliseconds()), LedgerRecordRows.Text(reason)]),
                Statement(PostgresGovernanceSql.ReadAgentByDid, AgentKey(tenantId, did)),
            },
        };
        return (await ReadAgentsAsync(batch, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<string?> ReadTenantPolicyAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        if (HasNul(tenantId))
        {
            return null;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresGovernanceSql.ReadPolicy, [LedgerRecordRows.Text(tenantId)], cancellationToken)
            .ConfigureAwait(false);
        return (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SaveTenantPolicyAsync(string tenantId, string policyJson, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        GovernanceRows.ValidatePolicy(tenantId, policyJson);
        if (HasNul(tenantId, policyJson))
        {
            throw new ArgumentException("a tenant id or a policy cannot hold a NUL character", nameof(policyJson));
        }

        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresGovernanceSql.SavePolicy,
            [LedgerRecordRows.Text(tenantId), LedgerRecordRows.Text(policyJson), LedgerRecordRows.BigInt(at.ToUnixTimeMilliseconds())],
            cancellationToken).ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<decimal> ReadTenantSpendAsync(string tenantId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        if (HasNul(tenantId))
        {
            return 0m;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresGovernanceSql.ReadSpend,
            [LedgerRecordRows.Text(tenantId), LedgerRecordRows.BigInt(GovernanceRows.FirstMillisecond(since))], cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.GetDecimal(0);
    }

    // Reads the agents the batch's last statement selects.
    private static async Task<List<AgentIdentity>> ReadAgentsAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        var agents = new List<AgentIdentity>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        do
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                agents.Add(GovernanceRows.Agent(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.GetFieldValue<byte[]>(5), reader.GetString(6), reader.GetInt64(7),
                    reader.IsDBNull(8) ? null : reader.GetInt64(8), reader.IsDBNull(9) ? null : reader.GetString(9)));
            }
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        return agents;
    }

    private static NpgsqlBatchCommand Statement(string sql, NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter[] Node(AgentIdentity agent) =>
        [LedgerRecordRows.Text(agent.TenantId), LedgerRecordRows.Text(agent.Workflow), LedgerRecordRows.Text(agent.NodeId)];

    private static NpgsqlParameter[] AgentKey(string tenantId, string did) => [LedgerRecordRows.Text(tenantId), LedgerRecordRows.Text(did)];
}
