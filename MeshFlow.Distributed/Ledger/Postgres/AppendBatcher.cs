using System.Data;
using MeshFlow.Ledger;
using Npgsql;

namespace MeshFlow.Distributed.Ledger.Postgres;

/// <summary>
/// Group commit for appends: concurrent appends (of different runs) share one statement, hence one round trip, one
/// transaction and one WAL flush, which is what makes many concurrent durable appends cheap.
/// </summary>
/// <remarks>
/// <para>No thread waits to collect appends. An append that finds no write under way writes itself at once, on its
/// caller's own task (a lone append pays nothing for batching); appends that arrive meanwhile queue up, and the next
/// write takes them. A write takes at most one append per run (a later one of the same run waits for the next write,
/// so a run's appends stay in order) and runs <see cref="PostgresLedgerSql.AppendBatch"/>.</para>
/// <para>Appends that contend for a sequence number that a write is already attempting (writers racing for a run's
/// tail) ride along with that attempt instead of queuing for their own: at most one record can win it, and once the
/// write is done each contender compares its record with the winner without another round trip.</para>
/// <para>Each append keeps its own outcome: a taken sequence number inserts nothing for that append alone. If the
/// statement fails as a whole (a lost connection, a value Postgres refuses), each append of the batch is retried on
/// its own by its caller, so one bad append never fails another.</para>
/// </remarks>
internal sealed class AppendBatcher : IAsyncDisposable
{
    private const int MaxBatchCount = 256;
    private const long MaxBatchBytes = 8L * 1024 * 1024;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _prepareExplicitly;
    private readonly Lock _gate = new();
    private readonly List<PendingAppend> _queue = [];
    private readonly Dictionary<(string TenantId, string RunId, long Seq), PendingAppend> _attempts = [];
    private NpgsqlConnection? _connection;
    private bool _writing;
    private bool _disposed;
    private TaskCompletionSource? _idle;

    public AppendBatcher(NpgsqlDataSource dataSource, bool prepareExplicitly)
    {
        _dataSource = dataSource;
        _prepareExplicitly = prepareExplicitly;
    }

    /// <summary>Writes an append, alone or with others.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before a write took it: nothing was written.</exception>
    public async Task<AppendResult> AppendAsync(PendingAppend append, CancellationToken cancellationToken)
    {
        bool leads;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(PostgresLedgerStore));
            if (_attempts.TryGetValue(Key(append), out var attempt) && append.TryClaim())
            {
                attempt.Contenders.Add(append);
                leads = false;
            }
            else
            {
                _queue.Add(append);
                leads = !_writing;
                _writing = true;
            }
        }

        if (!leads)
        {
            // Once a write has taken the append it is written regardless, so the caller learns the real outcome.
            await using var registration = cancellationToken.Register(
                static state => ((PendingAppend)state!).TryWithdraw(CancellationToken.None), append).ConfigureAwait(false);
            return await append.Result.ConfigureAwait(false);
        }

        // This caller writes what is queued (its own append first); what arrives meanwhile is written in the background.
        if (await WriteNextBatchAsync().ConfigureAwait(false))
        {
            _ = Task.Run(WriteRemainingAsync, CancellationToken.None);
        }

        return await append.Result.ConfigureAwait(false);
    }

    /// <summary>Writes appends in one statement on <paramref name="connection"/>; true for each one inserted.</summary>
    public async Task<bool[]> ExecuteAsync(NpgsqlConnection connection, IReadOnlyList<PendingAppend> batch,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(batch.Count == 1 ? PostgresLedgerSql.Append : PostgresLedgerSql.AppendBatch, connection);
        if (batch.Count == 1)
        {
            AppendParameters.AddValues(command.Parameters, batch[0]);
        }
        else
        {
            AppendParameters.AddColumns(command.Parameters, batch);
        }

        if (_prepareExplicitly)
        {
            await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }

        var inserted = new bool[batch.Count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            inserted[reader.GetInt64(0) - 1] = true;
        }

        return inserted;
    }

    /// <summary>Refuses new appends, waits for the queued ones to be written and returns the writers' connection.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? idle = null;
        lock (_gate)
        {
            _disposed = true;
            if (_writing)
            {
                _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                idle = _idle.Task;
            }
        }

        if (idle is not null)
        {
            await idle.ConfigureAwait(false);
        }

        await CloseConnectionAsync().ConfigureAwait(false);
    }

    private static (string TenantId, string RunId, long Seq) Key(PendingAppend append) =>
        (append.Record.TenantId, append.Record.RunId, append.Record.Seq);

    private async Task WriteRemainingAsync()
    {
        while (await WriteNextBatchAsync().ConfigureAwait(false))
        {
        }
    }

    /// <summary>Writes one batch of what is queued; true when more is queued (the caller must go on writing).</summary>
    private async Task<bool> WriteNextBatchAsync()
    {
        var batch = TakeBatch();
        if (batch.Count > 0)
        {
            await WriteBatchAsync(batch).ConfigureAwait(false);
        }

        lock (_gate)
        {
            if (_queue.Count > 0)
            {
                return true;
            }

            _writing = false;
            _idle?.TrySetResult();
            return false;
        }
    }

    /// <summary>
    /// Takes what is queued: one append per run, with the appends that contend for the same sequence number. Other
    /// appends of a run already in the batch stay queued, in order. The batch's appends become the attempts that
    /// later contenders join.
    /// </summary>
    private List<PendingAppend> TakeBatch()
    {
        var batch = new List<PendingAppend>();
        var runs = new Dictionary<(string TenantId, string RunId), PendingAppend>();
        var bytes = 0L;
        lock (_gate)
        {
            var kept = 0;
            for (var i = 0; i < _queue.Count; i++)
            {
                var append = _queue[i];
                if (append.IsWithdrawn)
                {
                    continue;
                }

                var run = (append.Record.TenantId, append.Record.RunId);
                if (runs.TryGetValue(run, out var attempt))
                {
                    if (attempt.Record.Seq == append.Record.Seq && append.TryClaim())
                    {
                        attempt.Contenders.Add(append);
                        continue;
                    }
                }
                else if (batch.Count < MaxBatchCount && bytes < MaxBatchBytes && append.TryClaim())
                {
                    runs.Add(run, append);
                    batch.Add(append);
                    _attempts.Add(Key(append), append);
                    bytes += append.Payload.Length;
                    continue;
                }

                if (!append.IsWithdrawn)
                {
                    _queue[kept++] = append;
                }
            }

            _queue.RemoveRange(kept, _queue.Count - kept);
        }

        return batch;
    }

    private async Task WriteBatchAsync(List<PendingAppend> batch)
    {
        bool[]? inserted = null;
        Exception? failure = null;
        try
        {
            inserted = await ExecuteOnWriterConnectionAsync(batch).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        // No contender can join an attempt once it is out of _attempts, so the lists are final from here on.
        lock (_gate)
        {
            foreach (var append in batch)
            {
                _attempts.Remove(Key(append));
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var append = batch[i];
            if (inserted is null)
            {
                if (batch.Count == 1 && append.Contenders.Count == 0)
                {
                    append.Fail(failure!);
                    return;
                }

                // The statement failed as a whole: each caller writes its own append, to get its own answer.
                append.Complete(AppendResult.RetryAlone);
                foreach (var contender in append.Contenders)
                {
                    contender.Complete(AppendResult.RetryAlone);
                }

                continue;
            }

            append.Complete(inserted[i] ? AppendResult.Inserted : AppendResult.SequenceTaken);

            // A contender lost to this append if it was inserted (and knows what it lost to), else to an older record.
            LedgerRecord? holder = inserted[i] ? append.Record with { Timestamp = append.StoredTimestamp } : null;
            foreach (var contender in append.Contenders)
            {
                contender.Complete(AppendResult.SequenceTaken, holder);
            }
        }
    }

    /// <summary>
    /// Writes on the connection the writers keep (no pool round trip per write). One that broke while idle (a server
    /// restart, a network timeout) is replaced and the write retried once; if the first attempt did commit, the retry
    /// finds the sequence numbers taken, and each caller then learns that its identical record is already present.
    /// </summary>
    private async Task<bool[]> ExecuteOnWriterConnectionAsync(List<PendingAppend> batch)
    {
        var reused = _connection is not null;
        try
        {
            _connection ??= await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
            return await ExecuteAsync(_connection, batch, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception) when (_connection is { FullState: not ConnectionState.Open })
        {
            await CloseConnectionAsync().ConfigureAwait(false);
            if (!reused)
            {
                throw;
            }
        }

        _connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        return await ExecuteAsync(_connection, batch, CancellationToken.None).ConfigureAwait(false);
    }

    // Only the writer of the moment touches _connection, and when none is writing, none will again.
    private async ValueTask CloseConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
