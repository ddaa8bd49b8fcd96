using System.Globalization;
using System.Text.Json;
using MeshFlow.Ledger;
using Npgsql;

namespace MeshFlow.Distributed.Ledger.Postgres;

/// <summary>
/// The ledger in Postgres: the distributed counterpart of the embedded SQLite store, with the same logical schema and
/// the same contract (<see cref="ILedgerStore"/>), shared by every Api and Worker replica.
/// </summary>
/// <remarks>
/// An append is a single statement (one round trip, atomic on its own) that inserts the record and, only if it was
/// inserted, upserts the checkpoint and the run summary; concurrent appends of different runs share that statement
/// and its commit (<see cref="AppendBatcher"/>), each keeping its own outcome. Commits are durable: the server's
/// <c>synchronous_commit</c> is never relaxed. The database refuses any other change to a stored record (migration
/// 3's trigger) unless the transaction declares an erasure, as <see cref="RedactAsync"/> does.
/// </remarks>
public sealed partial class PostgresLedgerStore : ILedgerStore
{
    private const int MaxAutoPrepare = 20;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly bool _prepareExplicitly;
    private readonly AppendBatcher _batcher;

    /// <summary>Creates a store over a data source, which the caller owns and disposes.</summary>
    /// <remarks>Its statements are prepared explicitly unless the data source auto-prepares or multiplexes.</remarks>
    public PostgresLedgerStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        _prepareExplicitly = settings.MaxAutoPrepare == 0 && !settings.Multiplexing;
        _batcher = new AppendBatcher(_dataSource, _prepareExplicitly);
    }

    /// <summary>
    /// The pool size of a store made from a connection string that sets none: several processes (the API and each
    /// worker) share one server, whose default limit is 100 connections, and appends are group-committed anyway.
    /// </summary>
    public const int DefaultMaxPoolSize = 24;

    /// <summary>
    /// Creates a store with its own pooled data source, auto-preparing its statements unless told otherwise, and at
    /// most <see cref="DefaultMaxPoolSize"/> connections unless the connection string sets a pool size.
    /// </summary>
    public PostgresLedgerStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = MaxAutoPrepare;
        }

        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.Keys.Cast<string>().Any(key => key.Replace(" ", "", StringComparison.Ordinal).Contains("maxpoolsize", StringComparison.OrdinalIgnoreCase)
            || key.Replace(" ", "", StringComparison.Ordinal).Contains("maximumpoolsize", StringComparison.OrdinalIgnoreCase)))
        {
            settings.MaxPoolSize = DefaultMaxPoolSize;
        }

        _dataSource = NpgsqlDataSource.Create(settings);
        _ownsDataSource = true;
        _batcher = new AppendBatcher(_dataSource, prepareExplicitly: false);
    }

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken = default) =>
        MigrateAsync(PostgresLedgerMigrations.LatestVersion, cancellationToken);

    /// <summary>Applies the migrations up to <paramref name="targetVersion"/> (tests build old schemas with it).</summary>
    internal Task MigrateAsync(int targetVersion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return PostgresLedgerMigrations.ApplyAsync(_dataSource, targetVersion, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<AppendOutcome> AppendAsync(LedgerRecord record, LedgerCheckpoint? checkpoint = null,
        CancellationToken cancellationToken = default)
    {
        Validate(record, checkpoint);
        cancellationToken.ThrowIfCancellationRequested();

        var (payload, compressed) = LedgerPayloadCodec.Pack(record.Payload, nameof(record));
        var append = new PendingAppend(record, checkpoint, payload, compressed,
            record.Kind == LedgerRecordKinds.RunStart ? ReadPayloadString(record.Payload, "workflow") ?? string.Empty : null,
            record.Kind == LedgerRecordKinds.RunEnd ? ReadPayloadString(record.Payload, "status") : null);

        var result = await _batcher.AppendAsync(append, cancellationToken).ConfigureAwait(false);
        if (result == AppendResult.Inserted)
        {
            return AppendOutcome.Appended;
        }

        if (result == AppendResult.SequenceTaken && append.Holder is { } holder)
        {
            return Resolve(holder, record);
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (result == AppendResult.RetryAlone
            && (await _batcher.ExecuteAsync(connection, [append], cancellationToken).ConfigureAwait(false))[0])
        {
            return AppendOutcome.Appended;
        }

        // Nothing was inserted: the sequence number is taken. A safe retry of the same record, or a fork.
        var existing = await ReadOneAsync(connection, PostgresLedgerSql.ReadRecord, cancellationToken,
            LedgerRecordRows.Text(record.TenantId), LedgerRecordRows.Text(record.RunId), LedgerRecordRows.BigInt(record.Seq)).ConfigureAwait(false);
        return Resolve(existing, record);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<NpgsqlCommand> CommandAsync(NpgsqlConnection connection, string sql, NpgsqlParameter[] parameters,
        CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await PrepareAsync(command, cancellationToken).ConfigureAwait(false);
        return command;
    }

    // Preparing a statement the pooled connection has already prepared costs no round trip.
    private Task PrepareAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        _prepareExplicitly ? command.PrepareAsync(cancellationToken) : Task.CompletedTask;

    private async Task<LedgerRecord?> ReadOneAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        params NpgsqlParameter[] parameters)
    {
        await using var command = await CommandAsync(connection, sql, parameters, cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? LedgerRecordRows.Read(reader) : null;
    }

    // Identical as stored: every header field (the timestamp to the millisecond, the cost with its scale), the entry
    // hash, the payload and the redaction flag; the same rule as the embedded store.
    private static AppendOutcome Resolve(LedgerRecord? stored, LedgerRecord candidate) =>
        stored is not null
        && stored.CostUsd.ToString(CultureInfo.InvariantCulture) == candidate.CostUsd.ToString(CultureInfo.InvariantCulture)
        && stored == candidate with { Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(candidate.Timestamp.ToUnixTimeMilliseconds()) }
            ? AppendOutcome.AlreadyPresent
            : throw new LedgerConflictException(candidate.TenantId, candidate.RunId, candidate.Seq);

    private static string? ReadPayloadString(string payload, string property)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(property, out var value)
                && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Validate(LedgerRecord record, LedgerCheckpoint? checkpoint)
    {
        ArgumentNullException.ThrowIfNull(record);
        var problem = record switch
        {
            _ when string.IsNullOrEmpty(record.TenantId) || string.IsNullOrEmpty(record.RunId) => "a record needs a tenant and a run",
            { Seq: < 1 } => "a record's sequence number starts at 1",
            { FormatVersion: < 1 } => "a record's format version starts at 1",
            _ when string.IsNullOrEmpty(record.PrevHash) || string.IsNullOrEmpty(record.EntryHash) || string.IsNullOrEmpty(record.PayloadHash) =>
                "a record needs its previous hash, entry hash and payload hash",
            _ when string.IsNullOrEmpty(record.Kind) || string.IsNullOrEmpty(record.SigningKeyId) => "a record needs a kind and a signing key id",
            { Payload: null } => "a record needs a payload",
            _ when !double.IsFinite(record.DurationMs) || record.Uncertainty is { } u && !double.IsFinite(u) =>
                "a record's duration and uncertainty must be finite numbers",
            _ when HasNul(record.TenantId, record.RunId, record.PrevHash, record.EntryHash, record.PayloadHash, record.Kind, record.SigningKeyId,
                record.NodeId, record.AgentId, record.AgentDid, record.StepId, record.Verdict, record.BlockReason) => "a record's text fields cannot hold a NUL character",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(record));
        }

        if (checkpoint is null)
        {
            return;
        }

        if (!string.Equals(checkpoint.TenantId, record.TenantId, StringComparison.Ordinal)
            || !string.Equals(checkpoint.RunId, record.RunId, StringComparison.Ordinal))
        {
            throw new ArgumentException("the checkpoint belongs to another run than the record", nameof(checkpoint));
        }

        if (checkpoint.Seq != record.Seq)
        {
            throw new ArgumentException($"the checkpoint is for sequence number {checkpoint.Seq}, the record is {record.Seq}", nameof(checkpoint));
        }

        if (checkpoint.State is null || HasNul(checkpoint.State))
        {
            throw new ArgumentException("the checkpoint needs a state without NUL characters", nameof(checkpoint));
        }
    }

    // Postgres text cannot hold U+0000; refusing it here keeps such a value from failing a whole batch.
    private static bool HasNul(params ReadOnlySpan<string?> values)
    {
        foreach (var value in values)
        {
            if (value is not null && value.Contains('\0', StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
