using System.Diagnostics;
using MeshFlow.Ledger;

namespace MeshFlow.Observability;

/// <summary>
/// The span of one ledger append (<see cref="ActivityNames.LedgerAppend"/>), around the chain's commit rather than
/// inside each store, so the SQLite and Postgres ledgers are traced alike. It names the run, the kind and the
/// committed sequence number, never the payload.
/// </summary>
internal static class LedgerTelemetry
{
    public static Activity? StartAppend(string tenantId, string runId, string kind)
    {
        var activity = MeshFlowTelemetry.ActivitySource.StartActivity(ActivityNames.LedgerAppend, ActivityKind.Internal);
        activity?.SetTag(TagNames.RunId, runId);
        activity?.SetTag(TagNames.Tenant, tenantId);
        activity?.SetTag(TagNames.LedgerRecordKind, kind);
        return activity;
    }

    // Untagged (no seq, no count) means nothing was appended: an idempotent retry found the record, or the commit
    // declined it.
    public static void Committed(Activity? activity, LedgerRecord record)
    {
        activity?.SetTag(TagNames.LedgerSeq, record.Seq);
        activity?.SetTag(TagNames.LedgerRecordCount, 1);
    }
}
