using System.Collections.Concurrent;
using MeshFlow.Approvals;
using MeshFlow.Ledger;
using MeshFlow.Runs;

namespace MeshFlow.Execution;

/// <summary>The recorded steps that drive a replayed run, and where the replay first left the recording.</summary>
internal sealed class ReplaySource(IReadOnlyDictionary<string, LedgerRecord> steps, RunError? recordedError, ApprovalHistory approvals)
{
    private readonly ConcurrentDictionary<string, bool> _used = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public IReadOnlyDictionary<string, LedgerRecord> Steps { get; } = steps;

    /// <summary>How the recorded run ended when it failed at a node: that node's unrecorded step is where it failed.</summary>
    public RunError? RecordedError { get; } = recordedError;

    /// <summary>The recorded run's decided pauses: a replay settles its escalated steps as the reviewers did.</summary>
    public ApprovalHistory Approvals { get; } = approvals;

    public ReplayResult? Divergence { get; private set; }

    public bool WasUsed(string stepId) => _used.ContainsKey(stepId);

    public void MarkUsed(string stepId) => _used[stepId] = true;

    /// <summary>The first recorded step (by sequence number) the replay has not reproduced yet.</summary>
    public LedgerRecord? FirstUnused() =>
        Steps.Values.Where(r => !_used.ContainsKey(r.StepId!)).MinBy(r => r.Seq);

    public void Diverge(long? seq, string stepId, string reason, string detail)
    {
        lock (_gate)
        {
            Divergence ??= new ReplayResult { Identical = false, DivergedAtSeq = seq, StepId = stepId, Reason = reason, Detail = detail };
        }
    }
}
