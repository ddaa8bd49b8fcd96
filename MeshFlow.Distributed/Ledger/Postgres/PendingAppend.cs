using MeshFlow.Ledger;

namespace MeshFlow.Distributed.Ledger.Postgres;

/// <summary>
/// One append on its way through the <see cref="AppendBatcher"/>: the record encoded for storage, what it does to the
/// run summary, and the promise its caller awaits. Its caller may withdraw it until a write claims it; after that it
/// is written, whatever happens.
/// </summary>
internal sealed class PendingAppend(LedgerRecord record, LedgerCheckpoint? checkpoint, byte[] payload, bool payloadCompressed,
    string? workflow, string? finalStatus)
{
    private const int Waiting = 0;
    private const int Claimed = 1;
    private const int Withdrawn = 2;

    private readonly TaskCompletionSource<AppendResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    public LedgerRecord Record { get; } = record;

    /// <summary>The checkpoint to commit with the record, or null.</summary>
    public string? CheckpointState { get; } = checkpoint?.State;

    /// <summary>The payload as stored (UTF-8, compressed when <see cref="PayloadCompressed"/>).</summary>
    public byte[] Payload { get; } = payload;

    public bool PayloadCompressed { get; } = payloadCompressed;

    /// <summary>The workflow a run_start names (the run summary's workflow), else null.</summary>
    public string? Workflow { get; } = workflow;

    /// <summary>The final status a run_end names, else null.</summary>
    public string? FinalStatus { get; } = finalStatus;

    /// <summary>The appends of the same run and sequence number that ride along with this one.</summary>
    public List<PendingAppend> Contenders { get; } = [];

    /// <summary>The timestamp as stored: whole milliseconds, UTC.</summary>
    public DateTimeOffset StoredTimestamp => DateTimeOffset.FromUnixTimeMilliseconds(Record.Timestamp.ToUnixTimeMilliseconds());

    /// <summary>
    /// With <see cref="AppendResult.SequenceTaken"/>: the record that took the sequence number when this append's own
    /// batch wrote it (no read is needed to compare); null when it must be read.
    /// </summary>
    public LedgerRecord? Holder { get; private set; }

    public Task<AppendResult> Result => _result.Task;

    public bool IsWithdrawn => Volatile.Read(ref _state) == Withdrawn;

    /// <summary>A write takes the append; false when its caller withdrew it first.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Waiting) == Waiting;

    /// <summary>The caller withdraws the append; false when a write has already taken it.</summary>
    public bool TryWithdraw(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Withdrawn, Waiting) != Waiting)
        {
            return false;
        }

        _result.TrySetCanceled(cancellationToken);
        return true;
    }

    public void Complete(AppendResult result, LedgerRecord? holder = null)
    {
        Holder = holder;
        _result.TrySetResult(result);
    }

    public void Fail(Exception exception) => _result.TrySetException(exception);
}
