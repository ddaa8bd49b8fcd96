using MeshFlow.Ledger;
using Npgsql;

namespace MeshFlow.Distributed.Ledger.Postgres;

public sealed partial class PostgresLedgerStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<LedgerRecord>> ReadRecordsAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var parameters = RunKey(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresLedgerSql.ReadRecords, parameters, cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<LedgerRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(LedgerRecordRows.Read(reader));
        }

        return records;
    }

    /// <inheritdoc />
    public async Task<LedgerRecord?> ReadLastRecordAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var parameters = RunKey(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadOneAsync(connection, PostgresLedgerSql.ReadLastRecord, cancellationToken, parameters).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<LedgerRecord?> ReadStepRecordAsync(string tenantId, string runId, string stepId, CancellationToken cancellationToken = default)
    {
        var key = RunKey(tenantId, runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(stepId);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadOneAsync(connection, PostgresLedgerSql.ReadStepRecord, cancellationToken,
            key[0], key[1], LedgerRecordRows.Text(stepId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<LedgerRunSummary?> ReadRunAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var parameters = RunKey(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresLedgerSql.ReadRun, parameters, cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new LedgerRunSummary(tenantId, runId, reader.GetString(0), reader.GetString(1), reader.GetInt64(2),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)));
    }

    /// <inheritdoc />
    public async Task<LedgerCheckpoint?> LoadCheckpointAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var parameters = RunKey(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresLedgerSql.LoadCheckpoint, parameters, cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new LedgerCheckpoint(tenantId, runId, reader.GetInt64(0), reader.GetString(1))
            : null;
    }

    private static NpgsqlParameter[] RunKey(string tenantId, string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return [LedgerRecordRows.Text(tenantId), LedgerRecordRows.Text(runId)];
    }
}
