using MeshFlow.Approvals;
using Npgsql;
using NpgsqlTypes;

namespace MeshFlow.Distributed.Ledger.Postgres;

// The webhook outbox, its attempts and disabled endpoints, and the background services' leases (migration 7). Each
// write is one statement, atomic on its own; a claim skips the rows another claim holds.
public sealed partial class PostgresLedgerStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookMessage>> ClaimDueWebhooksAsync(DateTimeOffset now, int max, TimeSpan claimFor,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(claimFor, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresApprovalSql.ClaimDue,
            [LedgerRecordRows.BigInt(now.ToUnixTimeMilliseconds()), Integer(max), LedgerRecordRows.BigInt((now + claimFor).ToUnixTimeMilliseconds())],
            cancellationToken).ConfigureAwait(false);
        var claimed = await ReadMessagesAsync(command, cancellationToken).ConfigureAwait(false);

        // RETURNING gives no order.
        return [.. claimed.OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The tenant has no such message (nothing is written).</exception>
    public async Task RecordWebhookAttemptAsync(WebhookAttempt attempt, string state, DateTimeOffset? nextAttemptAt,
        CancellationToken cancellationToken = default)
    {
        ApprovalRows.ValidateAttempt(attempt, state, nextAttemptAt);
        if (HasNul(attempt.MessageId, attempt.TenantId, attempt.RunId, attempt.Outcome, attempt.Error))
        {
            throw new ArgumentException("an attempt's text fields cannot hold a NUL character", nameof(attempt));
        }

        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresApprovalSql.RecordAttempt,
        [
            LedgerRecordRows.Text(attempt.MessageId), LedgerRecordRows.Text(attempt.TenantId), LedgerRecordRows.Text(attempt.RunId),
            Integer(attempt.Attempt), LedgerRecordRows.BigInt(attempt.At.ToUnixTimeMilliseconds()), Integer(attempt.StatusCode),
            LedgerRecordRows.Text(attempt.Outcome), LedgerRecordRows.Text(attempt.Error),
            new NpgsqlParameter<double> { TypedValue = attempt.DurationMs, NpgsqlDbType = NpgsqlDbType.Double },
            LedgerRecordRows.Text(state),
            new NpgsqlParameter { Value = nextAttemptAt is { } next ? next.ToUnixTimeMilliseconds() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint },
        ], cancellationToken).ConfigureAwait(false);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new InvalidOperationException($"tenant '{attempt.TenantId}' has no outbox message '{attempt.MessageId}'");
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookMessage>> ListWebhooksAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var key = RunKey(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        if (HasNul(tenantId, runId))
        {
            return [];
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresApprovalSql.ListMessages, key, cancellationToken).ConfigureAwait(false);
        return await ReadMessagesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookAttempt>> ListWebhookAttemptsAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var key = RunKey(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        if (HasNul(tenantId, runId))
        {
            return [];
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresApprovalSql.ListAttempts, key, cancellationToken).ConfigureAwait(false);
        var attempts = new List<WebhookAttempt>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            attempts.Add(ApprovalRows.ReadAttempt(reader));
        }

        return attempts;
    }

    /// <inheritdoc />
    public async Task DisableWebhookEndpointAsync(string tenantId, string url, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (HasNul(tenantId, url))
        {
            throw new ArgumentException("a tenant id or a URL cannot hold a NUL character", nameof(url));
        }

        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresApprovalSql.DisableEndpoint,
            [LedgerRecordRows.Text(tenantId), LedgerRecordRows.Text(url), LedgerRecordRows.BigInt(at.ToUnixTimeMilliseconds())],
            cancellationToken).ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> IsWebhookEndpointDisabledAsync(string tenantId, string url, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(url);
        cancellationToken.ThrowIfCancellationRequested();
        if (HasNul(tenantId, url))
        {
            return false;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresApprovalSql.IsEndpointDisabled,
            [LedgerRecordRows.Text(tenantId), LedgerRecordRows.Text(url)], cancellationToken).ConfigureAwait(false);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<bool> TryAcquireLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        if (HasNul(name, holder))
        {
            throw new ArgumentException("a lease's name or holder cannot hold a NUL character", nameof(holder));
        }

        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresApprovalSql.AcquireLease,
        [
            LedgerRecordRows.Text(name), LedgerRecordRows.Text(holder), LedgerRecordRows.BigInt(now.ToUnixTimeMilliseconds()),
            LedgerRecordRows.BigInt((now + duration).ToUnixTimeMilliseconds()),
        ], cancellationToken).ConfigureAwait(false);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static NpgsqlBatchCommand MessageStatement(WebhookMessage message) => Statement(PostgresApprovalSql.InsertMessage,
    [
        LedgerRecordRows.Text(message.Id), LedgerRecordRows.Text(message.TenantId), LedgerRecordRows.Text(message.RunId),
        LedgerRecordRows.Text(message.Type), LedgerRecordRows.Text(message.Url), LedgerRecordRows.Text(message.Body),
        LedgerRecordRows.BigInt(message.CreatedAt.ToUnixTimeMilliseconds()), LedgerRecordRows.BigInt(message.NextAttemptAt.ToUnixTimeMilliseconds()),
        LedgerRecordRows.BigInt(message.Deadline.ToUnixTimeMilliseconds()), Integer(message.Attempts), LedgerRecordRows.Text(message.State),
    ]);

    // Postgres text cannot hold U+0000: such a value is an argument error, refused before anything is sent.
    private static void ThrowIfNul(IReadOnlyList<WebhookMessage> notifications)
    {
        if (notifications.Any(m => HasNul(m.Id, m.Type, m.Url, m.Body, m.State)))
        {
            throw new ArgumentException("a notification's text fields cannot hold a NUL character", nameof(notifications));
        }
    }

    private static async Task<List<WebhookMessage>> ReadMessagesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var messages = new List<WebhookMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            messages.Add(ApprovalRows.ReadMessage(reader));
        }

        return messages;
    }
}
