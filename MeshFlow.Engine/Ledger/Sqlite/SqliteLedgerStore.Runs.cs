using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace MeshFlow.Ledger.Sqlite;

// The run summaries: kept current by appends (in the append's transaction), read one at a time, and listed.
public sealed partial class SqliteLedgerStore
{
    // The column order ReadSummary reads by ordinal; the totals (migration 8) come last.
    private const string SummaryColumns =
        "run_id, workflow, status, last_seq, created_at, updated_at, step_count, tokens_input, tokens_output, cost_usd";

    // One listing statement per combination of the optional exact filters, indexed by ListRunsVariant, so that a
    // status filter can use its index (migration 4) rather than an always-evaluated "IS NULL OR" test.
    private static readonly string[] ListRunsStatements =
        [ListRunsSql(false, false), ListRunsSql(true, false), ListRunsSql(false, true), ListRunsSql(true, true)];

    /// <inheritdoc />
    public async Task<LedgerRunSummary?> ReadRunAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        ValidateRun(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, $"SELECT {SummaryColumns} FROM runs WHERE tenant_id = $tenant AND run_id = $run");
        AddRun(command, tenantId, runId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadSummary(tenantId, reader) : null;
    }

    /// <inheritdoc />
    public async Task<LedgerRunPage> ListRunsAsync(string tenantId, LedgerRunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        var (fromMs, belowMs, belowRunId) = LedgerRunCursor.Bounds(query);
        cancellationToken.ThrowIfCancellationRequested();

        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, ListRunsStatements[ListRunsVariant(query)]);
        var parameters = command.Parameters;
        parameters.AddWithValue("$tenant", tenantId);
        parameters.AddWithValue("$from", fromMs);
        parameters.AddWithValue("$belowAt", belowMs);
        parameters.AddWithValue("$belowRun", belowRunId);
        parameters.AddWithValue("$take", query.Limit + 1);
        if (query.Status is { } status)
        {
            parameters.AddWithValue("$status", status);
        }

        if (query.Workflow is { } workflow)
        {
            parameters.AddWithValue("$workflow", workflow);
        }

        // One row more than the page tells whether another page follows, without a second query.
        var runs = new List<LedgerRunSummary>(Math.Min(query.Limit + 1, 64));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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

    // run_start names the workflow and makes the run queued, unless later records are already stored; any other
    // record makes a queued run running; run_end sets the final status. Every record moves last_seq/updated_at
    // forward. A run first seen through another kind is running, with an empty workflow until its run_start. The
    // totals are worked out here (under the write lock the append holds), since costs are decimal text that SQLite's
    // arithmetic would turn into floating point.
    private static async Task UpsertRunAsync(SqliteConnection connection, SqliteTransaction transaction, LedgerRecord record,
        CancellationToken cancellationToken)
    {
        var (current, endSeq) = await ReadTotalsAsync(connection, transaction, record, cancellationToken).ConfigureAwait(false);
        var (totals, newEndSeq) = current.With(record.Kind, record.Seq, record.TokensInput, record.TokensOutput, record.CostUsd, endSeq);
        var isStart = string.Equals(record.Kind, LedgerRecordKinds.RunStart, StringComparison.Ordinal);
        var endStatus = string.Equals(record.Kind, LedgerRecordKinds.RunEnd, StringComparison.Ordinal) ? JsonString(record.Payload, "status") : null;
        using var command = Command(connection, transaction, """
            INSERT INTO runs (tenant_id, run_id, workflow, status, last_seq, created_at, updated_at, step_count, tokens_input,
                tokens_output, cost_usd, end_seq)
            VALUES ($tenant, $run, $workflow, $status, $seq, $ts, $ts, $steps, $tokensIn, $tokensOut, $cost, $endSeq)
            ON CONFLICT (tenant_id, run_id) DO UPDATE SET
                step_count = excluded.step_count, tokens_input = excluded.tokens_input, tokens_output = excluded.tokens_output,
                cost_usd = excluded.cost_usd, end_seq = excluded.end_seq,
                workflow = CASE WHEN $start THEN excluded.workflow ELSE runs.workflow END,
                created_at = CASE WHEN $start THEN excluded.created_at ELSE runs.created_at END,
                status = CASE
                    WHEN $end THEN excluded.status
                    WHEN $start THEN CASE WHEN excluded.last_seq >= runs.last_seq THEN excluded.status ELSE runs.status END
                    WHEN runs.status = 'queued' THEN excluded.status
                    ELSE runs.status
                END,
                updated_at = CASE WHEN excluded.last_seq >= runs.last_seq THEN excluded.updated_at ELSE runs.updated_at END,
                last_seq = MAX(runs.last_seq, excluded.last_seq)
            """);
        AddRun(command, record.TenantId, record.RunId);
        command.Parameters.AddWithValue("$workflow", isStart ? JsonString(record.Payload, "workflow") ?? string.Empty : string.Empty);
        command.Parameters.AddWithValue("$status", endStatus ?? (isStart ? "queued" : "running"));
        command.Parameters.AddWithValue("$seq", record.Seq);
        command.Parameters.AddWithValue("$ts", record.Timestamp.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$start", isStart ? 1L : 0L);
        command.Parameters.AddWithValue("$end", endStatus is null ? 0L : 1L);
        command.Parameters.AddWithValue("$steps", totals.Steps);
        command.Parameters.AddWithValue("$tokensIn", totals.TokensInput);
        command.Parameters.AddWithValue("$tokensOut", totals.TokensOutput);
        command.Parameters.AddWithValue("$cost", FormatCost(totals.CostUsd));
        command.Parameters.AddWithValue("$endSeq", (object?)newEndSeq ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // The run's totals before this record, and the run_end they were taken from; none for a run not stored yet.
    private static async Task<(LedgerRunTotals Totals, long? EndSeq)> ReadTotalsAsync(SqliteConnection connection, SqliteTransaction transaction,
        LedgerRecord record, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction,
            "SELECT step_count, tokens_input, tokens_output, cost_usd, end_seq FROM runs WHERE tenant_id = $tenant AND run_id = $run");
        AddRun(command, record.TenantId, record.RunId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return (LedgerRunTotals.None, null);
        }

        return (new LedgerRunTotals(reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), ParseCost(reader.GetString(3))),
            reader.IsDBNull(4) ? null : reader.GetInt64(4));
    }

    /// <summary>
    /// The listing statement: newest first by (created_at, run_id), created at or after $from and below the position
    /// ($belowAt, $belowRun), with the optional exact filters. Run ids compare in BINARY collation, by their UTF-8 bytes.
    /// </summary>
    /// <remarks>
    /// The index is named: without statistics SQLite's planner reads a status filter's runs through
    /// <c>ix_runs_created</c> too, scanning every run of the tenant for a rare status.
    /// </remarks>
    internal static string ListRunsSql(bool byStatus, bool byWorkflow) => $"""
        SELECT {SummaryColumns} FROM runs INDEXED BY {(byStatus ? "ix_runs_status_created" : "ix_runs_created")}
        WHERE tenant_id = $tenant AND created_at >= $from
            AND (created_at, run_id) < ($belowAt, $belowRun){(byStatus ? " AND status = $status" : "")}{(byWorkflow ? " AND workflow = $workflow" : "")}
        ORDER BY created_at DESC, run_id DESC
        LIMIT $take
        """;

    /// <inheritdoc />
    public async Task<IReadOnlyList<LedgerRunSummary>> ListUnfinishedRunsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null,
            $"SELECT tenant_id, {SummaryColumns} FROM runs WHERE status IN ('queued', 'running') AND updated_at < $before ORDER BY updated_at LIMIT $limit");
        command.Parameters.AddWithValue("$before", updatedBefore.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var runs = new List<LedgerRunSummary>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(ReadSummary(reader.GetString(0), reader, offset: 1));
        }

        return runs;
    }

    private static int ListRunsVariant(LedgerRunQuery query) => (query.Status is null ? 0 : 1) + (query.Workflow is null ? 0 : 2);

    // Reads a row selected with SummaryColumns, starting at column offset.
    private static LedgerRunSummary ReadSummary(string tenantId, SqliteDataReader reader, int offset = 0) =>
        new(tenantId, reader.GetString(offset), reader.GetString(offset + 1), reader.GetString(offset + 2), reader.GetInt64(offset + 3),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(offset + 4)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(offset + 5)))
        {
            Totals = new LedgerRunTotals(reader.GetInt32(offset + 6), reader.GetInt64(offset + 7), reader.GetInt64(offset + 8),
                ParseCost(reader.GetString(offset + 9))),
        };

    private static string? JsonString(string payload, string property)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
