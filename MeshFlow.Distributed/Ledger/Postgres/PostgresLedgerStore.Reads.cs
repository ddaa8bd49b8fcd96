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
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadSummary(tenantId, reader) : null;
    }

    /// <inheritdoc />
    public async Task<LedgerRunPage> ListRunsAsync(string tenantId, LedgerRunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var (fromMs, belowMs, belowRunId) = LedgerRunCursor.Bounds(query);
        if (HasNul(belowRunId))
        {
            throw new FormatException("the cursor is not one this ledger issued: no run id here holds a NUL character");
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Postgres text cannot hold U+0000, so no stored run matches such a value (and sending it would fail).
        if (HasNul(tenantId, query.Status, query.Workflow))
        {
            return new LedgerRunPage([], null);
        }

        List<NpgsqlParameter> parameters =
        [
            LedgerRecordRows.Text(tenantId),
            LedgerRecordRows.BigInt(fromMs),
            LedgerRecordRows.BigInt(belowMs),
            LedgerRecordRows.Text(belowRunId),

            // One row more than the page tells whether another page follows, without a second query.
            LedgerRecordRows.BigInt(query.Limit + 1L),
        ];
        if (query.Status is { } status)
        {
            parameters.Add(LedgerRecordRows.Text(status));
        }

        if (query.Workflow is { } workflow)
        {
            parameters.Add(LedgerRecordRows.Text(workflow));
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresLedgerSql.ListRuns(query.Status is not null, query.Workflow is not null),
            [.. parameters], cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var runs = new List<LedgerRunSummary>(Math.Min(query.Limit + 1, 64));
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(ReadSummary(tenantId, reader));
        }

        if (runs.Count <= query.Limit)
        {
            return new LedgerRunPage(runs, null);
        }

        runs.RemoveAt(runs.Count - 1);
        return new LedgerRunPage(runs, LedgerRunCursor.Encode(runs[^1]));
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

    /// <inheritdoc />
    public async Task<IReadOnlyList<LedgerRunSummary>> ListUnfinishedRunsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresLedgerSql.ListUnfinishedRuns,
            [new NpgsqlParameter<long> { TypedValue = updatedBefore.ToUnixTimeMilliseconds() }, new NpgsqlParameter<int> { TypedValue = limit }],
            cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var runs = new List<LedgerRunSummary>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(ReadSummary(reader.GetString(0), reader, offset: 1));
        }

        return runs;
    }

    // Reads a row selected with PostgresLedgerSql.SummaryColumns.
    private static LedgerRunSummary ReadSummary(string tenantId, NpgsqlDataReader reader, int offset = 0) =>
        new(tenantId, reader.GetString(offset), reader.GetString(offset + 1), reader.GetString(offset + 2), reader.GetInt64(offset + 3),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(offset + 4)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(offset + 5)))
        {
            Totals = new LedgerRunTotals(reader.GetInt32(offset + 6), reader.GetInt64(offset + 7), reader.GetInt64(offset + 8),
                reader.GetDecimal(offset + 9)),
        };

    private static NpgsqlParameter[] RunKey(string tenantId, string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return [LedgerRecordRows.Text(tenantId), LedgerRecordRows.Text(runId)];
    }
}
