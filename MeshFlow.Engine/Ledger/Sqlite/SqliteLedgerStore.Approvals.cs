using MeshFlow.Approvals;
using Microsoft.Data.Sqlite;

namespace MeshFlow.Ledger.Sqlite;

// The approval store (migration 7) in the ledger's file. A pause, a decision and an escalation take the write lock
// like an append does, so the ledger record, the pause, the run's status and the outbox messages commit together, and
// a pause's pending state is checked and changed with no other writer in between: exactly one decision wins.
public sealed partial class SqliteLedgerStore : IApprovalStore
{
    private const string ReadOnePauseSql =
        $"SELECT {ApprovalRows.PauseColumns} FROM hitl_pauses WHERE tenant_id = $tenant AND run_id = $run AND pause_seq = $pause";

    /// <inheritdoc />
    /// <remarks>Repeating a pause whose identical record and pause are stored writes nothing: it committed already.</remarks>
    public async Task PauseAsync(LedgerRecord record, ApprovalPause pause, IReadOnlyList<WebhookMessage> notifications,
        CancellationToken cancellationToken = default)
    {
        Validate(record);
        ApprovalRows.ValidatePause(record, pause, notifications);
        var (payload, compressed) = LedgerPayloadCodec.Pack(record.Payload, nameof(record));
        await WriteAsync(async (connection, transaction) =>
        {
            // A retry of a pause that committed (a lost answer) finds its identical record and its pause, and is done.
            if (await CompareStoredAsync(connection, transaction, record, cancellationToken).ConfigureAwait(false) is not null)
            {
                _ = await ReadPauseAsync(connection, transaction, ReadOnePauseSql, pause.TenantId, pause.RunId, pause.PauseSeq, cancellationToken)
                    .ConfigureAwait(false) ?? throw new LedgerConflictException(record.TenantId, record.RunId, record.Seq);
                return false;
            }

            await AppendApprovalRecordAsync(connection, transaction, record, payload, compressed, ApprovalRows.PausedStatus, cancellationToken)
                .ConfigureAwait(false);
            using (var insert = Command(connection, transaction, $"""
                INSERT INTO hitl_pauses ({ApprovalRows.PauseColumns})
                VALUES ($tenant, $run, $pause, $workflow, $node, $step, $stage, $reason, $block, $tier, $context, $created, $expires,
                    $onTimeout, $timeout, $webhook, $escalateTo, 0, $state, NULL, NULL, NULL, NULL)
                """))
            {
                AddPause(insert, pause);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await InsertMessagesAsync(connection, transaction, notifications, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<(ApprovalPause Pause, bool Won)?> ResolveAsync(LedgerRecord record, ApprovalResolution resolution,
        IReadOnlyList<WebhookMessage> notifications, CancellationToken cancellationToken = default)
    {
        Validate(record);
        ApprovalRows.ValidateResolution(record, resolution, notifications);
        var (payload, compressed) = LedgerPayloadCodec.Pack(record.Payload, nameof(record));
        return WriteAsync<(ApprovalPause, bool)?>(async (connection, transaction) =>
        {
            var pause = await ReadPauseAsync(connection, transaction, ReadOnePauseSql, resolution.TenantId, resolution.RunId, resolution.PauseSeq,
                cancellationToken).ConfigureAwait(false);
            if (pause is null)
            {
                return null;
            }

            if (pause.State != ApprovalState.Pending)
            {
                return (pause, false);
            }

            await AppendApprovalRecordAsync(connection, transaction, record, payload, compressed, ApprovalRows.QueuedStatus, cancellationToken)
                .ConfigureAwait(false);
            using (var decide = Command(connection, transaction, """
                UPDATE hitl_pauses SET state = $state, reviewer_id = $reviewer, notes = $notes, decided_at = $decided, decision_seq = $decision
                WHERE tenant_id = $tenant AND run_id = $run AND pause_seq = $pause AND state = 'pending'
                """))
            {
                AddPauseKey(decide, resolution.TenantId, resolution.RunId, resolution.PauseSeq);
                decide.Parameters.AddWithValue("$state", resolution.State);
                decide.Parameters.AddWithValue("$reviewer", resolution.ReviewerId);
                decide.Parameters.AddWithValue("$notes", (object?)resolution.Notes ?? DBNull.Value);
                decide.Parameters.AddWithValue("$decided", resolution.DecidedAt.ToUnixTimeMilliseconds());
                decide.Parameters.AddWithValue("$decision", record.Seq);
                await decide.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await InsertMessagesAsync(connection, transaction, notifications, cancellationToken).ConfigureAwait(false);
            return (ApprovalRows.Decided(pause, resolution, record.Seq), true);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> EscalateAsync(LedgerRecord record, long pauseSeq, DateTimeOffset newExpiresAt, IReadOnlyList<WebhookMessage> notifications,
        CancellationToken cancellationToken = default)
    {
        Validate(record);
        ApprovalRows.ValidateEscalation(record, pauseSeq, notifications);
        var (payload, compressed) = LedgerPayloadCodec.Pack(record.Payload, nameof(record));
        return WriteAsync(async (connection, transaction) =>
        {
            using (var extend = Command(connection, transaction, """
                UPDATE hitl_pauses SET escalated = 1, expires_at = $expires
                WHERE tenant_id = $tenant AND run_id = $run AND pause_seq = $pause AND state = 'pending' AND escalated = 0
                """))
            {
                AddPauseKey(extend, record.TenantId, record.RunId, pauseSeq);
                extend.Parameters.AddWithValue("$expires", newExpiresAt.ToUnixTimeMilliseconds());
                if (await extend.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    return false;
                }
            }

            // A paused run stays paused: the escalation's record moves only its last sequence number and time.
            await AppendApprovalRecordAsync(connection, transaction, record, payload, compressed, null, cancellationToken).ConfigureAwait(false);
            await InsertMessagesAsync(connection, transaction, notifications, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ApprovalPause?> ReadPauseAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        ValidateRun(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadPauseAsync(connection, null,
            $"SELECT {ApprovalRows.PauseColumns} FROM hitl_pauses WHERE tenant_id = $tenant AND run_id = $run ORDER BY pause_seq DESC LIMIT 1",
            tenantId, runId, null, cancellationToken).ConfigureAwait(false);
    }

    // What a run's pauses copied from it (the reviewer's context, notes, notifications) is erased with its payloads:
    // all of it with the whole run, a pause's own when its pause or decision record is erased.
    private static async Task RedactApprovalsAsync(SqliteConnection connection, SqliteTransaction transaction, string tenantId, string runId,
        IReadOnlyCollection<long>? seqs, CancellationToken cancellationToken)
    {
        const string pauses = """
            UPDATE hitl_pauses SET context = '{"redacted":true}', reason = 'redacted', notes = CASE WHEN notes IS NULL THEN NULL ELSE 'redacted' END
            WHERE tenant_id = $tenant AND run_id = $run AND ($seq IS NULL OR pause_seq = $seq OR decision_seq = $seq)
            """;
        const string messages = """
            UPDATE webhook_outbox SET body = '{"redacted":true}', state = CASE WHEN state = 'pending' THEN 'failed' ELSE state END
            WHERE tenant_id = $tenant AND run_id = $run
            """;
        using var command = Command(connection, transaction, pauses);
        AddRun(command, tenantId, runId);
        var seq = command.Parameters.Add("$seq", SqliteType.Integer);
        var touched = 0;
        foreach (var value in seqs is null ? [(long?)null] : seqs.Distinct().Select(s => (long?)s))
        {
            seq.Value = (object?)value ?? DBNull.Value;
            touched += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (touched > 0)
        {
            using var scrub = Command(connection, transaction, messages);
            AddRun(scrub, tenantId, runId);
            await scrub.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task RecordEventSeqAsync(string tenantId, string runId, long eventSeq, CancellationToken cancellationToken = default)
    {
        ValidateRun(tenantId, runId);
        return WriteAsync(async (connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                UPDATE hitl_pauses SET event_seq = $seq
                WHERE tenant_id = $tenant AND run_id = $run AND (event_seq IS NULL OR event_seq < $seq)
                  AND pause_seq = (SELECT MAX(pause_seq) FROM hitl_pauses WHERE tenant_id = $tenant AND run_id = $run)
                """);
            AddRun(command, tenantId, runId);
            command.Parameters.AddWithValue("$seq", eventSeq);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<long> ReadEventSeqAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        ValidateRun(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null,
            "SELECT COALESCE(MAX(event_seq), 0) FROM hitl_pauses WHERE tenant_id = $tenant AND run_id = $run");
        AddRun(command, tenantId, runId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApprovalPause>> ListPendingAsync(string tenantId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, $"""
            SELECT {ApprovalRows.PauseColumns} FROM hitl_pauses
            WHERE tenant_id = $tenant AND state = 'pending' ORDER BY created_at, run_id, pause_seq LIMIT $limit
            """);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadPausesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, "SELECT COUNT(*) FROM hitl_pauses WHERE state = 'pending'");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApprovalPause>> ListExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, $"""
            SELECT {ApprovalRows.PauseColumns} FROM hitl_pauses
            WHERE state = 'pending' AND expires_at <= $now ORDER BY expires_at, tenant_id, run_id, pause_seq LIMIT $limit
            """);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadPausesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    // The same insert and run summary as AppendAsync, so an approval's record is stored exactly like an appended one;
    // the status set afterwards is what a pause or a decision means for the run.
    private static async Task AppendApprovalRecordAsync(SqliteConnection connection, SqliteTransaction transaction, LedgerRecord record,
        byte[] payload, bool compressed, string? runStatus, CancellationToken cancellationToken)
    {
        if (await CompareStoredAsync(connection, transaction, record, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new LedgerConflictException(record.TenantId, record.RunId, record.Seq);
        }

        await InsertRecordAsync(connection, transaction, record, payload, compressed, cancellationToken).ConfigureAwait(false);
        await UpsertRunAsync(connection, transaction, record, cancellationToken).ConfigureAwait(false);
        if (runStatus is not null)
        {
            using var status = Command(connection, transaction, "UPDATE runs SET status = $status WHERE tenant_id = $tenant AND run_id = $run");
            AddRun(status, record.TenantId, record.RunId);
            status.Parameters.AddWithValue("$status", runStatus);
            await status.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // One write transaction per call, under the locks an append takes, so what a call writes commits together or not at
    // all, and no other writer changes what it read in between.
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction).ConfigureAwait(false);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static async Task<ApprovalPause?> ReadPauseAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        string tenantId, string runId, long? pauseSeq, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, sql);
        AddRun(command, tenantId, runId);
        if (pauseSeq is { } seq)
        {
            command.Parameters.AddWithValue("$pause", seq);
        }

        return (await ReadPausesAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    private static async Task<List<ApprovalPause>> ReadPausesAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var pauses = new List<ApprovalPause>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pauses.Add(ApprovalRows.ReadPause(reader));
        }

        return pauses;
    }

    private static void AddPauseKey(SqliteCommand command, string tenantId, string runId, long pauseSeq)
    {
        AddRun(command, tenantId, runId);
        command.Parameters.AddWithValue("$pause", pauseSeq);
    }

    private static void AddPause(SqliteCommand command, ApprovalPause pause)
    {
        AddPauseKey(command, pause.TenantId, pause.RunId, pause.PauseSeq);
        var parameters = command.Parameters;
        parameters.AddWithValue("$workflow", pause.Workflow);
        parameters.AddWithValue("$node", pause.NodeId);
        parameters.AddWithValue("$step", pause.StepId);
        parameters.AddWithValue("$stage", pause.Stage);
        parameters.AddWithValue("$reason", pause.Reason);
        parameters.AddWithValue("$block", (object?)pause.BlockReason ?? DBNull.Value);
        parameters.AddWithValue("$tier", (object?)pause.Tier ?? DBNull.Value);
        parameters.AddWithValue("$context", pause.Context);
        parameters.AddWithValue("$created", pause.CreatedAt.ToUnixTimeMilliseconds());
        parameters.AddWithValue("$expires", pause.ExpiresAt.ToUnixTimeMilliseconds());
        parameters.AddWithValue("$onTimeout", ApprovalRows.TimeoutActionName(pause.OnTimeout));
        parameters.AddWithValue("$timeout", pause.TimeoutSeconds);
        parameters.AddWithValue("$webhook", (object?)pause.WebhookUrl ?? DBNull.Value);
        parameters.AddWithValue("$escalateTo", (object?)pause.EscalateTo ?? DBNull.Value);
        parameters.AddWithValue("$state", pause.State);
    }
}
