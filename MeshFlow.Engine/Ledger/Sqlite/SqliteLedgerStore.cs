using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace MeshFlow.Ledger.Sqlite;

/// <summary>
/// The embedded ledger store: one SQLite file in WAL mode, every commit synced (<c>synchronous=FULL</c>), so a
/// committed append survives a crash or a power loss.
/// </summary>
/// <remarks>
/// <para>Writes take SQLite's write lock up front (<c>BEGIN IMMEDIATE</c>), so the read-compare-insert of an append is
/// atomic even across processes sharing the file; other writers wait for the lock (busy timeout
/// <see cref="BusyTimeoutMilliseconds"/>) instead of failing. Within one store instance writers also queue on an
/// asynchronous gate, so they wait without polling the file lock, and concurrent appends of the same sequence number
/// of a run are coalesced: one takes the lock, the others are judged against what it stored (already present, or a
/// conflict). A record already stored is judged without any lock, since the database refuses to change its header.
/// Readers never wait for writers (WAL).</para>
/// <para>Payloads over <see cref="ILedgerStore.CompressionThresholdBytes"/> UTF-8 bytes are stored GZip-compressed
/// (<c>payload_compressed = 1</c>); payloads must be valid Unicode, so they read back byte-identical.</para>
/// <para>The schema is created and upgraded by <see cref="MigrateAsync(CancellationToken)"/>, which must run
/// before anything else; several processes may run it at once.</para>
/// <para>The store needs a database file: an in-memory database would not be shared by the pooled connections.</para>
/// </remarks>
public sealed partial class SqliteLedgerStore : ILedgerStore
{
    /// <summary>How long a writer waits for another connection's write lock before failing, in milliseconds.</summary>
    public const int BusyTimeoutMilliseconds = 5_000;

    // The column order every record query selects, and ReadRecord reads by ordinal. agent_did (migration 5) comes
    // last, as it does in the table.
    private const string RecordColumns = """
        tenant_id, run_id, seq, format_version, prev_hash, ts, kind, node_id, agent_id, step_id, verdict, block_reason,
        tokens_input, tokens_output, tokens_estimated, cost_usd, duration_ms, uncertainty, signing_key_id, payload_hash,
        entry_hash, payload, payload_compressed, redacted, agent_did
        """;

    private const int CostOrdinal = 15;
    private const int EntryHashOrdinal = 20;
    private const int AgentDidOrdinal = 24;

    // Native connections already given the per-connection settings; entries go when the pool closes them.
    private static readonly ConditionalWeakTable<sqlite3, object> ConfiguredHandles = [];
    private static readonly object Configured = new();

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    // The appends in progress in this store, by (tenant, run, seq); each ends with the record it stored, or null.
    private readonly ConcurrentDictionary<(string TenantId, string RunId, long Seq), Task<LedgerRecord?>> _attempts = new();

    private int _disposed;

    /// <summary>Creates a store over a <c>Microsoft.Data.Sqlite</c> connection string naming a database file.</summary>
    /// <param name="connectionString">For example <c>Data Source=/var/lib/meshflow/ledger.db;Pooling=True</c>.</param>
    /// <exception cref="ArgumentException">The connection string is empty, invalid or names no file.</exception>
    public SqliteLedgerStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"the SQLite connection string is invalid: {ex.Message}", nameof(connectionString), ex);
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.Mode == SqliteOpenMode.Memory
            || string.Equals(builder.DataSource, ":memory:", StringComparison.Ordinal))
        {
            throw new ArgumentException("the ledger needs a database file (Data Source=path)", nameof(connectionString));
        }

        _connectionString = builder.ToString();
    }

    /// <summary>Creates a store over the database file at <paramref name="path"/> (pooled connections), creating its folder.</summary>
    /// <remarks>Call <see cref="MigrateAsync(CancellationToken)"/> before using the store.</remarks>
    public static SqliteLedgerStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (Path.GetDirectoryName(fullPath) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        };
        return new SqliteLedgerStore(builder.ToString());
    }

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken = default) =>
        MigrateAsync(SqliteMigrations.LatestVersion, cancellationToken);

    /// <summary>Applies the migrations up to <paramref name="targetVersion"/> (tests make older databases with it).</summary>
    internal async Task MigrateAsync(int targetVersion, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetVersion, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetVersion, SqliteMigrations.LatestVersion);
        cancellationToken.ThrowIfCancellationRequested();

        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The journal mode is a property of the file and cannot change inside a transaction.
            using (var wal = connection.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode = WAL";
                await wal.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }

            // BEGIN IMMEDIATE: whoever holds the write lock checks and applies; everyone else waits, then sees the
            // migrations applied and has nothing left to do.
            using var transaction = connection.BeginTransaction(deferred: false);
            Execute(connection, transaction, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    applied_at INTEGER NOT NULL
                ) STRICT
                """);

            var applied = new HashSet<long>();
            using (var read = Command(connection, transaction, "SELECT version FROM schema_migrations"))
            using (var reader = read.ExecuteReader())
            {
                while (reader.Read())
                {
                    applied.Add(reader.GetInt64(0));
                }
            }

            if (applied.Count > 0 && applied.Max() > SqliteMigrations.LatestVersion)
            {
                throw new InvalidOperationException(
                    $"the ledger database is at schema version {applied.Max()}, newer than this build knows ({SqliteMigrations.LatestVersion})");
            }

            foreach (var migration in SqliteMigrations.All)
            {
                if (migration.Version > targetVersion || applied.Contains(migration.Version))
                {
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                migration.Apply(connection, transaction);
                using var record = Command(connection, transaction, "INSERT INTO schema_migrations (version, applied_at) VALUES ($version, $at)");
                record.Parameters.AddWithValue("$version", migration.Version);
                record.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                record.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<AppendOutcome> AppendAsync(LedgerRecord record, LedgerCheckpoint? checkpoint = null, CancellationToken cancellationToken = default)
    {
        Validate(record);
        if (checkpoint is not null)
        {
            Validate(checkpoint, record);
        }

        var (payload, compressed) = LedgerPayloadCodec.Pack(record.Payload, nameof(record));
        cancellationToken.ThrowIfCancellationRequested();

        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var key = (record.TenantId, record.RunId, record.Seq);
        while (true)
        {
            // A stored record's header never changes (the database refuses it), so a record already holding this
            // sequence number can be judged without the write lock: a losing writer learns so without queuing.
            if (await CompareStoredAsync(connection, null, record, cancellationToken).ConfigureAwait(false) is { } known)
            {
                return known;
            }

            // One attempt per sequence number at a time in this store: the other writers wait for its outcome and
            // judge their record against what it stored, rather than queuing for the write lock one by one.
            var attempt = new TaskCompletionSource<LedgerRecord?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_attempts.TryAdd(key, attempt.Task))
            {
                if (_attempts.TryGetValue(key, out var other) && await other.WaitAsync(cancellationToken).ConfigureAwait(false) is { } stored)
                {
                    return Identical(stored, record) ? AppendOutcome.AlreadyPresent : throw new LedgerConflictException(record.TenantId, record.RunId, record.Seq);
                }

                // The other attempt stored nothing (it failed, or found a record there): look again.
                continue;
            }

            LedgerRecord? appended = null;
            try
            {
                var outcome = await AppendLockedAsync(connection, record, checkpoint, payload, compressed, cancellationToken).ConfigureAwait(false);
                appended = outcome == AppendOutcome.Appended ? record : null;
                return outcome;
            }
            finally
            {
                _attempts.TryRemove(KeyValuePair.Create(key, attempt.Task));
                attempt.SetResult(appended);
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LedgerRecord>> ReadRecordsAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        ValidateRun(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null,
            $"SELECT {RecordColumns} FROM ledger_records WHERE tenant_id = $tenant AND run_id = $run ORDER BY seq");
        AddRun(command, tenantId, runId);
        var records = new List<LedgerRecord>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(ReadRecord(reader));
        }

        return records;
    }

    /// <inheritdoc />
    public Task<LedgerRecord?> ReadLastRecordAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        ValidateRun(tenantId, runId);
        return ReadOneRecordAsync(tenantId, runId,
            $"SELECT {RecordColumns} FROM ledger_records WHERE tenant_id = $tenant AND run_id = $run ORDER BY seq DESC LIMIT 1",
            null, cancellationToken);
    }

    /// <inheritdoc />
    public Task<LedgerRecord?> ReadStepRecordAsync(string tenantId, string runId, string stepId, CancellationToken cancellationToken = default)
    {
        ValidateRun(tenantId, runId);
        ArgumentException.ThrowIfNullOrEmpty(stepId);
        return ReadOneRecordAsync(tenantId, runId,
            $"SELECT {RecordColumns} FROM ledger_records WHERE tenant_id = $tenant AND run_id = $run AND step_id = $step AND kind = 'step' ORDER BY seq DESC LIMIT 1",
            stepId, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<LedgerCheckpoint?> LoadCheckpointAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        ValidateRun(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, "SELECT seq, state FROM checkpoints WHERE tenant_id = $tenant AND run_id = $run");
        AddRun(command, tenantId, runId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new LedgerCheckpoint(tenantId, runId, reader.GetInt64(0), reader.GetString(1))
            : null;
    }

    /// <inheritdoc />
    public async Task SaveHeadAsync(LedgerHead head, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(head);
        if (string.IsNullOrEmpty(head.TenantId) || string.IsNullOrEmpty(head.RunId) || head.Seq < 1 || string.IsNullOrEmpty(head.EntryHash)
            || string.IsNullOrEmpty(head.KeyId) || string.IsNullOrEmpty(head.Signature))
        {
            throw new ArgumentException("a head needs a tenant, a run, a sequence number from 1, an entry hash, a key id and a signature", nameof(head));
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command(connection, null, """
                INSERT INTO run_heads (tenant_id, run_id, seq, entry_hash, signed_at, key_id, signature)
                VALUES ($tenant, $run, $seq, $hash, $signed, $key, $signature)
                ON CONFLICT (tenant_id, run_id) DO UPDATE SET
                    seq = excluded.seq, entry_hash = excluded.entry_hash, signed_at = excluded.signed_at,
                    key_id = excluded.key_id, signature = excluded.signature
                """);
            AddRun(command, head.TenantId, head.RunId);
            command.Parameters.AddWithValue("$seq", head.Seq);
            command.Parameters.AddWithValue("$hash", head.EntryHash);
            command.Parameters.AddWithValue("$signed", head.SignedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$key", head.KeyId);
            command.Parameters.AddWithValue("$signature", head.Signature);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<LedgerHead?> ReadHeadAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        ValidateRun(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, """
            SELECT seq, entry_hash, signed_at, key_id, signature FROM run_heads WHERE tenant_id = $tenant AND run_id = $run
            """);
        AddRun(command, tenantId, runId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new LedgerHead(tenantId, runId, reader.GetInt64(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.GetString(3), reader.GetString(4))
            : null;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A different key is already recorded under <paramref name="keyId"/>.</exception>
    public async Task SavePublicKeyAsync(string tenantId, string keyId, byte[] publicKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.Length == 0)
        {
            throw new ArgumentException("the public key is empty", nameof(publicKey));
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var insert = Command(connection, transaction, """
                INSERT INTO signing_keys (tenant_id, key_id, public_key, created_at) VALUES ($tenant, $key, $public, $at)
                ON CONFLICT (tenant_id, key_id) DO NOTHING
                """))
            {
                insert.Parameters.AddWithValue("$tenant", tenantId);
                insert.Parameters.AddWithValue("$key", keyId);
                insert.Parameters.AddWithValue("$public", publicKey);
                insert.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    transaction.Commit();
                    return;
                }
            }

            using var read = Command(connection, transaction, "SELECT public_key FROM signing_keys WHERE tenant_id = $tenant AND key_id = $key");
            read.Parameters.AddWithValue("$tenant", tenantId);
            read.Parameters.AddWithValue("$key", keyId);
            var stored = (byte[]?)await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            if (stored is null || !stored.AsSpan().SequenceEqual(publicKey))
            {
                throw new InvalidOperationException($"tenant '{tenantId}' already has a different public key under id '{keyId}'");
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, byte[]>> ReadPublicKeysAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, "SELECT key_id, public_key FROM signing_keys WHERE tenant_id = $tenant ORDER BY key_id");
        command.Parameters.AddWithValue("$tenant", tenantId);
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys[reader.GetString(0)] = reader.GetFieldValue<byte[]>(1);
        }

        return keys;
    }

    /// <inheritdoc />
    public async Task<int> RedactAsync(string tenantId, string runId, IReadOnlyCollection<long>? seqs, string notice,
        CancellationToken cancellationToken = default)
    {
        ValidateRun(tenantId, runId);
        ArgumentNullException.ThrowIfNull(notice);
        var payload = LedgerPayloadCodec.Encode(notice, nameof(notice));
        cancellationToken.ThrowIfCancellationRequested();
        if (seqs is { Count: 0 })
        {
            return 0;
        }

        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = Command(connection, transaction, seqs is null
                ? "UPDATE ledger_records SET payload = $payload, payload_compressed = 0, redacted = 1 WHERE tenant_id = $tenant AND run_id = $run"
                : "UPDATE ledger_records SET payload = $payload, payload_compressed = 0, redacted = 1 WHERE tenant_id = $tenant AND run_id = $run AND seq = $seq");
            AddRun(command, tenantId, runId);
            command.Parameters.AddWithValue("$payload", payload);
            var count = 0;
            if (seqs is null)
            {
                count = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var seq = command.Parameters.Add("$seq", SqliteType.Integer);
                foreach (var value in seqs.Distinct())
                {
                    seq.Value = value;
                    count += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await RedactApprovalsAsync(connection, transaction, tenantId, runId, seqs, cancellationToken).ConfigureAwait(false);

            // Erasing a whole run erases what it remembered and indexed too.
            if (seqs is null)
            {
                await EraseRunVectorsAsync(connection, transaction, tenantId, runId, cancellationToken).ConfigureAwait(false);
            }

            transaction.Commit();
            return count;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Closes the pooled connections to the database file (other stores over the same file open new ones as needed).</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Opens a pooled connection with the store's per-connection settings (busy timeout, full sync).</summary>
    internal async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // These settings belong to the native connection, which the pool keeps across opens: set them once.
            // busy_timeout must match BusyTimeoutMilliseconds.
            if (connection.Handle is { } handle && !ConfiguredHandles.TryGetValue(handle, out _))
            {
                using var settings = connection.CreateCommand();
                settings.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;";
                await settings.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                ConfiguredHandles.AddOrUpdate(handle, Configured);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Takes the write lock (this store's gate, then SQLite's with BEGIN IMMEDIATE) and, unless another connection
    // got there first, commits the record, its checkpoint and the run summary together.
    private async Task<AppendOutcome> AppendLockedAsync(SqliteConnection connection, LedgerRecord record, LedgerCheckpoint? checkpoint,
        byte[] payload, bool compressed, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            if (await CompareStoredAsync(connection, transaction, record, cancellationToken).ConfigureAwait(false) is { } raced)
            {
                return raced;
            }

            await InsertRecordAsync(connection, transaction, record, payload, compressed, cancellationToken).ConfigureAwait(false);
            if (checkpoint is not null)
            {
                await UpsertCheckpointAsync(connection, transaction, checkpoint, cancellationToken).ConfigureAwait(false);
            }

            await UpsertRunAsync(connection, transaction, record, cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return AppendOutcome.Appended;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<LedgerRecord?> ReadOneRecordAsync(string tenantId, string runId, string sql, string? stepId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, sql);
        AddRun(command, tenantId, runId);
        if (stepId is not null)
        {
            command.Parameters.AddWithValue("$step", stepId);
        }

        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadRecord(reader) : null;
    }

    // Null when no record holds the record's sequence number; AlreadyPresent when the stored one is identical.
    private static async Task<AppendOutcome?> CompareStoredAsync(SqliteConnection connection, SqliteTransaction? transaction, LedgerRecord record,
        CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction,
            $"SELECT {RecordColumns} FROM ledger_records WHERE tenant_id = $tenant AND run_id = $run AND seq = $seq");
        AddRun(command, record.TenantId, record.RunId);
        command.Parameters.AddWithValue("$seq", record.Seq);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // The entry hash first: a different one settles it without reading a (possibly large) payload.
        return string.Equals(reader.GetString(EntryHashOrdinal), record.EntryHash, StringComparison.Ordinal) && Identical(ReadRecord(reader), record)
            ? AppendOutcome.AlreadyPresent
            : throw new LedgerConflictException(record.TenantId, record.RunId, record.Seq);
    }

    // Identical as stored: every header field (the timestamp to the millisecond, the cost with its scale), the
    // entry hash, the payload and the redaction flag.
    private static bool Identical(LedgerRecord stored, LedgerRecord incoming) =>
        string.Equals(stored.EntryHash, incoming.EntryHash, StringComparison.Ordinal)
        && string.Equals(FormatCost(stored.CostUsd), FormatCost(incoming.CostUsd), StringComparison.Ordinal)
        && stored with { Timestamp = TruncateToMilliseconds(stored.Timestamp) } == incoming with { Timestamp = TruncateToMilliseconds(incoming.Timestamp) };

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value) => DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());

    private static async Task InsertRecordAsync(SqliteConnection connection, SqliteTransaction transaction, LedgerRecord record, byte[] payload,
        bool compressed, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, $"""
            INSERT INTO ledger_records ({RecordColumns})
            VALUES ($tenant, $run, $seq, $format, $prev, $ts, $kind, $node, $agent, $step, $verdict, $block,
                $tokensIn, $tokensOut, $estimated, $cost, $duration, $uncertainty, $key, $payloadHash,
                $entryHash, $payload, $compressed, $redacted, $agentDid)
            """);
        AddRun(command, record.TenantId, record.RunId);
        var parameters = command.Parameters;
        parameters.AddWithValue("$seq", record.Seq);
        parameters.AddWithValue("$format", record.FormatVersion);
        parameters.AddWithValue("$prev", record.PrevHash);
        parameters.AddWithValue("$ts", record.Timestamp.ToUnixTimeMilliseconds());
        parameters.AddWithValue("$kind", record.Kind);
        parameters.AddWithValue("$node", (object?)record.NodeId ?? DBNull.Value);
        parameters.AddWithValue("$agent", (object?)record.AgentId ?? DBNull.Value);
        parameters.AddWithValue("$step", (object?)record.StepId ?? DBNull.Value);
        parameters.AddWithValue("$verdict", (object?)record.Verdict ?? DBNull.Value);
        parameters.AddWithValue("$block", (object?)record.BlockReason ?? DBNull.Value);
        parameters.AddWithValue("$tokensIn", record.TokensInput);
        parameters.AddWithValue("$tokensOut", record.TokensOutput);
        parameters.AddWithValue("$estimated", record.TokensEstimated ? 1L : 0L);
        parameters.AddWithValue("$cost", FormatCost(record.CostUsd));
        parameters.AddWithValue("$duration", record.DurationMs);
        parameters.AddWithValue("$uncertainty", record.Uncertainty is { } uncertainty ? uncertainty : DBNull.Value);
        parameters.AddWithValue("$key", record.SigningKeyId);
        parameters.AddWithValue("$payloadHash", record.PayloadHash);
        parameters.AddWithValue("$entryHash", record.EntryHash);
        parameters.Add("$payload", SqliteType.Blob).Value = payload;
        parameters.AddWithValue("$compressed", compressed ? 1L : 0L);
        parameters.AddWithValue("$redacted", record.Redacted ? 1L : 0L);
        parameters.AddWithValue("$agentDid", (object?)record.AgentDid ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // A checkpoint never moves back: a later record's checkpoint replaces an earlier one, not the reverse.
    private static async Task UpsertCheckpointAsync(SqliteConnection connection, SqliteTransaction transaction, LedgerCheckpoint checkpoint,
        CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, """
            INSERT INTO checkpoints (tenant_id, run_id, seq, state, updated_at) VALUES ($tenant, $run, $seq, $state, $at)
            ON CONFLICT (tenant_id, run_id) DO UPDATE SET seq = excluded.seq, state = excluded.state, updated_at = excluded.updated_at
            WHERE excluded.seq >= checkpoints.seq
            """);
        AddRun(command, checkpoint.TenantId, checkpoint.RunId);
        command.Parameters.AddWithValue("$seq", checkpoint.Seq);
        command.Parameters.AddWithValue("$state", checkpoint.State);
        command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static LedgerRecord ReadRecord(SqliteDataReader reader) => new()
    {
        TenantId = reader.GetString(0),
        RunId = reader.GetString(1),
        Seq = reader.GetInt64(2),
        FormatVersion = reader.GetInt32(3),
        PrevHash = reader.GetString(4),
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        Kind = reader.GetString(6),
        NodeId = reader.IsDBNull(7) ? null : reader.GetString(7),
        AgentId = reader.IsDBNull(8) ? null : reader.GetString(8),
        StepId = reader.IsDBNull(9) ? null : reader.GetString(9),
        Verdict = reader.IsDBNull(10) ? null : reader.GetString(10),
        BlockReason = reader.IsDBNull(11) ? null : reader.GetString(11),
        TokensInput = reader.GetInt64(12),
        TokensOutput = reader.GetInt64(13),
        TokensEstimated = reader.GetInt64(14) != 0,
        CostUsd = ParseCost(reader.GetString(CostOrdinal)),
        DurationMs = reader.GetDouble(16),
        Uncertainty = reader.IsDBNull(17) ? null : reader.GetDouble(17),
        SigningKeyId = reader.GetString(18),
        PayloadHash = reader.GetString(19),
        EntryHash = reader.GetString(EntryHashOrdinal),
        Payload = LedgerPayloadCodec.Unpack(reader.GetFieldValue<byte[]>(21), reader.GetInt64(22) != 0),
        Redacted = reader.GetInt64(23) != 0,
        AgentDid = reader.IsDBNull(AgentDidOrdinal) ? null : reader.GetString(AgentDidOrdinal),
    };

    private static string FormatCost(decimal cost) => cost.ToString(CultureInfo.InvariantCulture);

    private static decimal ParseCost(string text) =>
        decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    private static void AddRun(SqliteCommand command, string tenantId, string runId)
    {
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$run", runId);
    }

    private static void ValidateRun(string tenantId, string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
    }

    private static void Validate(LedgerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        string? problem = null;
        if (string.IsNullOrEmpty(record.TenantId) || string.IsNullOrEmpty(record.RunId))
        {
            problem = "a record needs a tenant and a run";
        }
        else if (record.Seq < 1)
        {
            problem = "a record's sequence number starts at 1";
        }
        else if (record.FormatVersion < 1)
        {
            problem = "a record's format version starts at 1";
        }
        else if (string.IsNullOrEmpty(record.PrevHash) || string.IsNullOrEmpty(record.EntryHash) || string.IsNullOrEmpty(record.PayloadHash))
        {
            problem = "a record needs its previous hash, entry hash and payload hash";
        }
        else if (string.IsNullOrEmpty(record.Kind) || string.IsNullOrEmpty(record.SigningKeyId))
        {
            problem = "a record needs a kind and a signing key id";
        }
        else if (record.Payload is null)
        {
            problem = "a record needs a payload";
        }
        else if (!double.IsFinite(record.DurationMs) || record.Uncertainty is { } u && !double.IsFinite(u))
        {
            problem = "a record's duration and uncertainty must be finite numbers";
        }

        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(record));
        }
    }

    private static void Validate(LedgerCheckpoint checkpoint, LedgerRecord record)
    {
        if (!string.Equals(checkpoint.TenantId, record.TenantId, StringComparison.Ordinal)
            || !string.Equals(checkpoint.RunId, record.RunId, StringComparison.Ordinal))
        {
            throw new ArgumentException("the checkpoint belongs to another run than the record", nameof(checkpoint));
        }

        if (checkpoint.Seq != record.Seq)
        {
            throw new ArgumentException($"the checkpoint is for sequence number {checkpoint.Seq}, the record is {record.Seq}", nameof(checkpoint));
        }

        if (checkpoint.State is null)
        {
            throw new ArgumentException("the checkpoint has no state", nameof(checkpoint));
        }
    }
}
