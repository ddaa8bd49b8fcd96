using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using MeshFlow.Ledger;
using MeshFlow.Privacy;
using MeshFlow.Observability;

namespace MeshFlow.Runtime;

/// <summary>
/// The API's side of starting a run: records its <c>run_start</c> in the ledger (status <c>queued</c>), then puts it
/// on the queue with the caller's trace context. Never executes anything.
/// </summary>
public sealed class RunSubmitter
{
    private readonly AuditLedger _ledger;
    private readonly IRunQueue _queue;
    private readonly TimeProvider _time;

    /// <summary>Creates a submitter over the ledger and the queue.</summary>
    public RunSubmitter(AuditLedger ledger, IRunQueue queue, TimeProvider? timeProvider = null)
    {
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Records and queues a run; with an idempotency key already used, answers the run it started.</summary>
    /// <exception cref="IdempotencyConflictException">The key was used with a different workflow, input or policy.</exception>
    public async Task<SubmittedRun> SubmitAsync(RunSubmission submission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        using var activity = MeshFlowTelemetry.ActivitySource.StartActivity(ActivityNames.Enqueue, ActivityKind.Producer);
        var runId = submission.IdempotencyKey is { } key ? IdempotentRunId(submission.TenantId, key) : NewRunId();
        activity?.SetTag(TagNames.RunId, runId);
        activity?.SetTag(TagNames.Tenant, submission.TenantId);
        activity?.SetTag(TagNames.Workflow, submission.Workflow.Name);
        QueueTelemetry.TagSend(activity, _queue);

        var policy = submission.Policy ?? submission.Workflow.Policy;
        // The ledger keeps no protected health information: under scrub_phi the recorded input is scrubbed, and only
        // the queued request (deleted from the queue once the run is taken) carries it to the worker.
        var start = new RunStartPayload
        {
            Workflow = submission.Workflow.Name, WorkflowDigest = submission.Workflow.Digest,
            Input = policy.ScrubPhi ? PhiScrubber.Scrub(submission.Input) : submission.Input, Policy = policy,
            Definition = submission.Definition,
            Metadata = policy.ScrubPhi && submission.Metadata is { } metadata ? SinkFilter.Phi.CleanJson(metadata) : submission.Metadata,
        };
        var request = new RunRequest
        {
            TenantId = submission.TenantId, RunId = runId, Definition = submission.Definition, Input = submission.Input, Policy = policy,
            TraceParent = Activity.Current?.Id, TraceState = Activity.Current?.TraceStateString, QueuedAt = _time.GetUtcNow(),
        };

        if (await _ledger.TryStartRunAsync(submission.TenantId, runId, start, cancellationToken).ConfigureAwait(false) is not null)
        {
            await _queue.EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
            return new SubmittedRun(runId, "queued", Created: true);
        }

        // A retry: the same request answers the run the first attempt started; another one is a conflict.
        var records = await _ledger.Store.ReadRecordsAsync(submission.TenantId, runId, cancellationToken).ConfigureAwait(false);
        var first = records.Count > 0 && records[0].Kind == LedgerRecordKinds.RunStart && !records[0].Redacted
            ? LedgerPayloads.ReadRunStart(records[0].Payload)
            : throw new IdempotencyConflictException("the idempotency key names a run whose request can no longer be compared");
        if (first.WorkflowDigest != start.WorkflowDigest || first.Input != start.Input || first.Policy != start.Policy)
        {
            throw new IdempotencyConflictException(
                "the idempotency key was already used with a different request (workflow, input or policy); use a new key for a new run");
        }

        var summary = await _ledger.Store.ReadRunAsync(submission.TenantId, runId, cancellationToken).ConfigureAwait(false);
        var status = summary?.Status ?? "queued";
        if (status == "queued" && !await _queue.HoldsAsync(submission.TenantId, runId, cancellationToken).ConfigureAwait(false))
        {
            // The first attempt recorded the run but did not queue it (it failed in between): queue it now.
            await _queue.EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return new SubmittedRun(runId, status, Created: false);
    }

    /// <summary>A new run id: <c>run_</c> and a time-ordered GUID.</summary>
    public static string NewRunId() => "run_" + Guid.CreateVersion7().ToString("N");

    /// <summary>The run id an idempotency key names for a tenant: the same key always names the same run.</summary>
    public static string IdempotentRunId(string tenantId, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(tenantId + "\n" + idempotencyKey));
        return "run_" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
