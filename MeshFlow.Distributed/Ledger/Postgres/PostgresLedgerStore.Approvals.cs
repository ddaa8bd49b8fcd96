using MeshFlow.Approvals;
using MeshFlow.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace MeshFlow.Distributed.Ledger.Postgres;

// The approval store (migration 7) in the ledger's database. A pause, a decision and an escalation are each one
// explicit transaction on their own connection, outside the append batcher: the record goes in with the append
// statement itself (so the run summary and a taken sequence number behave as for any append), then the pause, the
// run's status and the outbox messages follow in one batch, and all commit together or not at all.
public sealed partial class PostgresLedgerStore : IApprovalStore
{
    /// <inheritdoc />
    /// <remarks>Repeating a pause whose identical record and pause are stored writes nothing: it committed already.</remarks>
    public async Task PauseAsync(LedgerRecord record, ApprovalPause pause, IReadOnlyList<WebhookMessage> notifications,
        CancellationToken cancellationToken = default)
    {
        Validate(record, null);
        ApprovalRows.ValidatePause(record, pause, notifications);
        if (HasNul(pause.Workflow, pause.NodeId, pause.StepId, pause.Stage, pause.Reason, pause.BlockReason, pause.Tier, pause.Context,
            pause.WebhookUrl, pause.EscalateTo))
        {
            throw new ArgumentException("a pause's text fields cannot hold a NUL character", nameof(pause));
        }

        ThrowIfNul(notifications);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // A retry of a pause that committed (a lost answer) finds its identical record and its pause, and is done.
        if (!await AppendApprovalRecordAsync(connection, record, identicalIsDone: true, cancellationToken).ConfigureAwait(false))
        {
            await using var read = await CommandAsync(connection, PostgresApprovalSql.ReadPause, PauseKey(pause.TenantId, pause.RunId, pause.PauseSeq),
                cancellationToken).ConfigureAwait(false);
            if ((await ReadPausesAsync(read, cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                throw new LedgerConflictException(record.TenantId, record.RunId, record.Seq);
            }

            return;
        }

        await ExecuteBatchAsync(connection,
        [
            Statement(PostgresApprovalSql.SetRunStatus, [.. RunKey(record.TenantId, record.RunId), LedgerRecordRows.Text(ApprovalRows.PausedStatus)]),
            Statement(PostgresApprovalSql.InsertPause, PauseParameters(pause)),
            .. notifications.Select(MessageStatement),
        ], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<(ApprovalPause Pause, bool Won)?> ResolveAsync(LedgerRecord record, ApprovalResolution resolution,
        IReadOnlyList<WebhookMessage> notifications, CancellationToken cancellationToken = default)
    {
        Validate(record, null);
        ApprovalRows.ValidateResolution(record, resolution, notifications);
        if (HasNul(resolution.State, resolution.ReviewerId, resolution.Notes))
        {
            throw new ArgumentException("a decision's text fields cannot hold a NUL character", nameof(resolution));
        }

        ThrowIfNul(notifications);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The conditional update takes the pause's row lock first: concurrent deciders queue on it, and each one after
        // the winner finds the pause decided, so only the winner appends a record.
        ApprovalPause? decided;
        await using (var decide = await CommandAsync(connection, PostgresApprovalSql.Decide,
            [.. PauseKey(record.TenantId, record.RunId, resolution.PauseSeq), LedgerRecordRows.Text(resolution.State), LedgerRecordRows.Text(resolution.ReviewerId), LedgerRecordRows.Text(resolution.Notes),
                LedgerRecordRows.BigInt(resolution.DecidedAt.ToUnixTimeMilliseconds()), LedgerRecordRows.BigInt(record.Seq)],
            cancellationToken).ConfigureAwait(false))
        {
            decided = (await ReadPausesAsync(decide, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
        }

        if (decided is null)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            await using var read = await CommandAsync(connection, PostgresApprovalSql.ReadPause, PauseKey(record.TenantId, record.RunId, resolution.PauseSeq),
                cancellationToken).ConfigureAwait(false);
            return (await ReadPausesAsync(read, cancellationToken).ConfigureAwait(false)).SingleOrDefault() is { } current ? (current, false) : null;
        }

        await AppendApprovalRecordAsync(connection, record, identicalIsDone: false, cancellationToken).ConfigureAwait(false);
        await ExecuteBatchAsync(connection,
        [
            Statement(PostgresApprovalSql.SetRunStatus, [.. RunKey(record.TenantId, record.RunId), LedgerRecordRows.Text(ApprovalRows.QueuedStatus)]),
            .. notifications.Select(MessageStatement),
        ], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (decided, true);
    }

    /// <inheritdoc />
    public async Task<bool> EscalateAsync(LedgerRecord record, long pauseSeq, DateTimeOffset newExpiresAt, IReadOnlyList<WebhookMessage> notifications,
        CancellationToken cancellationToken = default)
    {
        Validate(record, null);
        ApprovalRows.ValidateEscalation(record, pauseSeq, notifications);
        ThrowIfNul(notifications);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var extend = await CommandAsync(connection, PostgresApprovalSql.Escalate,
            [.. PauseKey(record.TenantId, record.RunId, pauseSeq), LedgerRecordRows.BigInt(newExpiresAt.ToUnixTimeMilliseconds())],
            cancellationToken).ConfigureAwait(false))
        {
            if (await extend.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return false;
            }
        }

        // A paused run stays paused: the escalation's record moves only its last sequence number and time.
        await AppendApprovalRecordAsync(connection, record, identicalIsDone: false, cancellationToken).ConfigureAwait(false);
        await ExecuteBatchAsync(connection, [.. notifications.Select(MessageStatement)], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<ApprovalPause?> ReadPauseAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var key = RunKey(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        if (HasNul(tenantId, runId))
        {
            return null;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresApprovalSql.ReadLatestPause, key, cancellationToken).ConfigureAwait(false);
        return (await ReadPausesAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task RecordEventSeqAsync(string tenantId, string runId, long eventSeq, CancellationToken cancellationToken = default)
    {
        var key = RunKey(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        if (HasNul(tenantId, runId))
        {
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresApprovalSql.RecordEventSeq, [.. key, LedgerRecordRows.BigInt(eventSeq)],
            cancellationToken).ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> ReadEventSeqAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var key = RunKey(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        if (HasNul(tenantId, runId))
        {
            return 0;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresApprovalSql.ReadEventSeq, key, cancellationToken).ConfigureAwait(false);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApprovalPause>> ListPendingAsync(string tenantId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        if (HasNul(tenantId))
        {
            return [];
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresApprovalSql.ListPending, [LedgerRecordRows.Text(tenantId), Integer(limit)],
            cancellationToken).ConfigureAwait(false);
        return await ReadPausesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresApprovalSql.CountPending, [], cancellationToken).ConfigureAwait(false);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApprovalPause>> ListExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresApprovalSql.ListExpired,
            [LedgerRecordRows.BigInt(now.ToUnixTimeMilliseconds()), Integer(limit)], cancellationToken).ConfigureAwait(false);
        return await ReadPausesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    // Appends an approval's record in the connection's transaction with the append statement, hence AppendAsync's
    // columns, compression and run summary. True when inserted; false when the identical record is stored and
    // identicalIsDone says that means the call is already done; any other record there is a conflict.
    private async Task<bool> AppendApprovalRecordAsync(NpgsqlConnection connection, LedgerRecord record, bool identicalIsDone,
        CancellationToken cancellationToken)
    {
        var (payload, compressed) = LedgerPayloadCodec.Pack(record.Payload, nameof(record));
        await using (var append = new NpgsqlCommand(PostgresLedgerSql.Append, connection))
        {
            AppendParameters.AddValues(append.Parameters, new PendingAppend(record, null, payload, compressed, null, null));
            await PrepareAsync(append, cancellationToken).ConfigureAwait(false);
            if (await append.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                return true;
            }
        }

        var stored = await ReadOneAsync(connection, PostgresLedgerSql.ReadRecord, cancellationToken,
            LedgerRecordRows.Text(record.TenantId), LedgerRecordRows.Text(record.RunId), LedgerRecordRows.BigInt(record.Seq)).ConfigureAwait(false);
        if (Resolve(stored, record) == AppendOutcome.AlreadyPresent && identicalIsDone)
        {
            return false;
        }

        throw new LedgerConflictException(record.TenantId, record.RunId, record.Seq);
    }

    private static async Task<List<ApprovalPause>> ReadPausesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var pauses = new List<ApprovalPause>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pauses.Add(ApprovalRows.ReadPause(reader));
        }

        return pauses;
    }

    private static async Task ExecuteBatchAsync(NpgsqlConnection connection, NpgsqlBatchCommand[] statements, CancellationToken cancellationToken)
    {
        if (statements.Length == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection);
        foreach (var statement in statements)
        {
            batch.BatchCommands.Add(statement);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlParameter[] PauseKey(string tenantId, string runId, long pauseSeq) =>
        [LedgerRecordRows.Text(tenantId), LedgerRecordRows.Text(runId), LedgerRecordRows.BigInt(pauseSeq)];

    private static NpgsqlParameter[] PauseParameters(ApprovalPause pause) =>
    [
        .. PauseKey(pause.TenantId, pause.RunId, pause.PauseSeq),
        LedgerRecordRows.Text(pause.Workflow), LedgerRecordRows.Text(pause.NodeId), LedgerRecordRows.Text(pause.StepId),
        LedgerRecordRows.Text(pause.Stage), LedgerRecordRows.Text(pause.Reason), LedgerRecordRows.Text(pause.BlockReason),
        LedgerRecordRows.Text(pause.Tier), LedgerRecordRows.Text(pause.Context), LedgerRecordRows.BigInt(pause.CreatedAt.ToUnixTimeMilliseconds()),
        LedgerRecordRows.BigInt(pause.ExpiresAt.ToUnixTimeMilliseconds()), LedgerRecordRows.Text(ApprovalRows.TimeoutActionName(pause.OnTimeout)),
        Integer(pause.TimeoutSeconds), LedgerRecordRows.Text(pause.WebhookUrl), LedgerRecordRows.Text(pause.EscalateTo),
        LedgerRecordRows.Text(pause.State),
    ];

    private static NpgsqlParameter Integer(int? value) => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer };
}
