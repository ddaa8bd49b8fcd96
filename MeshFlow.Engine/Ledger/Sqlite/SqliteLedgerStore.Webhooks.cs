using MeshFlow.Approvals;
using Microsoft.Data.Sqlite;

namespace MeshFlow.Ledger.Sqlite;

// The webhook outbox, its attempts and disabled endpoints, and the background services' leases (migration 7). A claim
// is one conditional update under the write lock, so two senders never claim the same message.
public sealed partial class SqliteLedgerStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookMessage>> ClaimDueWebhooksAsync(DateTimeOffset now, int max, TimeSpan claimFor,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(claimFor, TimeSpan.Zero);
        var claimed = await WriteAsync(async (connection, transaction) =>
        {
            using var command = Command(connection, transaction, $"""
                UPDATE webhook_outbox SET claimed_until = $until
                WHERE id IN (
                    SELECT id FROM webhook_outbox
                    WHERE state = 'pending' AND next_attempt_at <= $now AND (claimed_until IS NULL OR claimed_until <= $now)
                    ORDER BY next_attempt_at, id LIMIT $max)
                RETURNING {ApprovalRows.MessageColumns}
                """);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$until", (now + claimFor).ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$max", max);
            return await ReadMessagesAsync(command, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        // RETURNING gives no order.
        return [.. claimed.OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The tenant has no such message (nothing is written).</exception>
    public Task RecordWebhookAttemptAsync(WebhookAttempt attempt, string state, DateTimeOffset? nextAttemptAt,
        CancellationToken cancellationToken = default)
    {
        ApprovalRows.ValidateAttempt(attempt, state, nextAttemptAt);
        return WriteAsync(async (connection, transaction) =>
        {
            using (var move = Command(connection, transaction, """
                UPDATE webhook_outbox
                SET attempts = attempts + 1, state = $state, next_attempt_at = coalesce($next, next_attempt_at), claimed_until = NULL
                WHERE id = $id AND tenant_id = $tenant
                """))
            {
                move.Parameters.AddWithValue("$id", attempt.MessageId);
                move.Parameters.AddWithValue("$tenant", attempt.TenantId);
                move.Parameters.AddWithValue("$state", state);
                move.Parameters.AddWithValue("$next", nextAttemptAt is { } next ? next.ToUnixTimeMilliseconds() : DBNull.Value);
                if (await move.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw new InvalidOperationException($"tenant '{attempt.TenantId}' has no outbox message '{attempt.MessageId}'");
                }
            }

            using var insert = Command(connection, transaction, $"""
                INSERT INTO webhook_attempts ({ApprovalRows.AttemptColumns})
                VALUES ($id, $tenant, $run, $attempt, $at, $status, $outcome, $error, $duration)
                """);
            var parameters = insert.Parameters;
            parameters.AddWithValue("$id", attempt.MessageId);
            parameters.AddWithValue("$tenant", attempt.TenantId);
            parameters.AddWithValue("$run", attempt.RunId);
            parameters.AddWithValue("$attempt", attempt.Attempt);
            parameters.AddWithValue("$at", attempt.At.ToUnixTimeMilliseconds());
            parameters.AddWithValue("$status", attempt.StatusCode is { } code ? code : DBNull.Value);
            parameters.AddWithValue("$outcome", attempt.Outcome);
            parameters.AddWithValue("$error", (object?)attempt.Error ?? DBNull.Value);
            parameters.AddWithValue("$duration", attempt.DurationMs);
            return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookMessage>> ListWebhooksAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        ValidateRun(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null,
            $"SELECT {ApprovalRows.MessageColumns} FROM webhook_outbox WHERE tenant_id = $tenant AND run_id = $run ORDER BY created_at, id");
        AddRun(command, tenantId, runId);
        return await ReadMessagesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookAttempt>> ListWebhookAttemptsAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        ValidateRun(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null,
            $"SELECT {ApprovalRows.AttemptColumns} FROM webhook_attempts WHERE tenant_id = $tenant AND run_id = $run ORDER BY at, message_id, attempt");
        AddRun(command, tenantId, runId);
        var attempts = new List<WebhookAttempt>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            attempts.Add(ApprovalRows.ReadAttempt(reader));
        }

        return attempts;
    }

    /// <inheritdoc />
    public Task DisableWebhookEndpointAsync(string tenantId, string url, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(url);
        return WriteAsync(async (connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                INSERT INTO webhook_disabled_endpoints (tenant_id, url, disabled_at) VALUES ($tenant, $url, $at)
                ON CONFLICT (tenant_id, url) DO NOTHING
                """);
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$url", url);
            command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> IsWebhookEndpointDisabledAsync(string tenantId, string url, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(url);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, "SELECT 1 FROM webhook_disabled_endpoints WHERE tenant_id = $tenant AND url = $url");
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$url", url);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public Task<bool> TryAcquireLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        return WriteAsync(async (connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                INSERT INTO leases (name, holder, expires_at) VALUES ($name, $holder, $until)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at <= $now
                """);
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$holder", holder);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$until", (now + duration).ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    private static async Task InsertMessagesAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<WebhookMessage> messages,
        CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }

        using var command = Command(connection, transaction, $"""
            INSERT INTO webhook_outbox ({ApprovalRows.MessageColumns}, claimed_until)
            VALUES ($id, $tenant, $run, $type, $url, $body, $created, $next, $deadline, $attempts, $state, NULL)
            """);
        var parameters = command.Parameters;
        foreach (var message in messages)
        {
            parameters.Clear();
            parameters.AddWithValue("$id", message.Id);
            AddRun(command, message.TenantId, message.RunId);
            parameters.AddWithValue("$type", message.Type);
            parameters.AddWithValue("$url", message.Url);
            parameters.AddWithValue("$body", message.Body);
            parameters.AddWithValue("$created", message.CreatedAt.ToUnixTimeMilliseconds());
            parameters.AddWithValue("$next", message.NextAttemptAt.ToUnixTimeMilliseconds());
            parameters.AddWithValue("$deadline", message.Deadline.ToUnixTimeMilliseconds());
            parameters.AddWithValue("$attempts", message.Attempts);
            parameters.AddWithValue("$state", message.State);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<List<WebhookMessage>> ReadMessagesAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var messages = new List<WebhookMessage>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            messages.Add(ApprovalRows.ReadMessage(reader));
        }

        return messages;
    }
}
