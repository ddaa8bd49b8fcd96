using MeshFlow.Governance;
using MeshFlow.Ledger;

namespace MeshFlow.Execution;

/// <summary>Per-run choices.</summary>
public sealed record RunOptions
{
    /// <summary>The run's id; a new one when null.</summary>
    public string? RunId { get; init; }

    /// <summary>The tenant the run belongs to (its ledger records are filed under it).</summary>
    public string TenantId { get; init; } = DefaultTenant;

    /// <summary>
    /// Continues a run the ledger already holds (after a crash): steps already recorded are not executed again,
    /// their recorded outputs are reused, and the run carries on after its last committed record.
    /// Needs <see cref="RunId"/> and a ledger.
    /// </summary>
    public bool Resume { get; init; }

    /// <summary>
    /// Set by the worker, which has just read the run's records to decide whether to execute it: a resumed run
    /// starts from these (all of the run's records, in order) instead of reading them again.
    /// </summary>
    internal IReadOnlyList<LedgerRecord>? ResumeFrom { get; init; }

    /// <summary>
    /// Set by the worker, whose only reader of the events relays them without blocking: a waiting reader continues on
    /// the thread that publishes the event (under the run's event lock, so still in order) instead of being queued to
    /// the thread pool, which under load is most of a token's time inside the worker. And because every delta would
    /// then be its own message, the token deltas a model yields without making the step wait (a burst read in one
    /// network read; a zero-latency model's whole reply) are published as one delta when it next would wait (or
    /// after 5 ms): a streamed token is never held back, a burst costs one message.
    /// </summary>
    internal bool DeliverEventsInline { get; init; }

    /// <summary>Set by <c>LedgerReplay</c>: the recorded steps drive the run and nothing is written.</summary>
    internal ReplaySource? Replay { get; init; }

    /// <summary>The tenant of runs that name none.</summary>
    public const string DefaultTenant = "default";

    /// <summary>The policy; the workflow's when null.</summary>
    public Policy? Policy { get; init; }

    /// <summary>
    /// False to produce no events (a caller that only awaits the result). When true, events buffer until read:
    /// read <see cref="WorkflowRun.Events"/> to the end.
    /// </summary>
    public bool CaptureEvents { get; init; } = true;
}
