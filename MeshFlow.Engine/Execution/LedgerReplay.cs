using MeshFlow.Approvals;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Workflows;

namespace MeshFlow.Execution;

/// <summary>
/// Replays a recorded run through a workflow with zero provider calls: the ledger's outputs drive the engine. The
/// answer is "identical", or the first recorded step where the workflow now diverges (a different node, a different
/// input, a step the recording lacks, or a recorded step no longer reached).
/// </summary>
public static class LedgerReplay
{
    /// <summary>Replays run <paramref name="runId"/> of <paramref name="tenantId"/> from <paramref name="ledger"/>.</summary>
    /// <exception cref="InvalidOperationException">The run has no run_start record.</exception>
    public static async Task<ReplayResult> ReplayAsync(MeshFlowEngine engine, Workflow workflow, AuditLedger ledger, string tenantId, string runId,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(ledger);
        var records = await ledger.Store.ReadRecordsAsync(tenantId, runId, cancellationToken).ConfigureAwait(false);
        var start = records.FirstOrDefault(r => r.Kind == LedgerRecordKinds.RunStart)
            ?? throw new InvalidOperationException($"run '{runId}' has no run_start record to replay");
        var startPayload = LedgerPayloads.ReadRunStart(start.Payload);
        var steps = records.Where(r => r.Kind == LedgerRecordKinds.Step && r.StepId is not null).ToList();
        var end = records.FirstOrDefault(r => r.Kind == LedgerRecordKinds.RunEnd && !r.Redacted);
        // A step approved before its call has two records (its escalation, then its run): the later one drives the replay.
        var latest = new Dictionary<string, LedgerRecord>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            latest[step.StepId!] = step;
        }

        var source = new ReplaySource(latest, end is null ? null : LedgerPayloads.ReadRunEnd(end.Payload).Error, ApprovalHistory.Read(records));

        var result = await engine.Start(workflow, startPayload.Input, new RunOptions
        {
            RunId = runId, TenantId = tenantId, Policy = startPayload.Policy, CaptureEvents = false, Replay = source,
        }, cancellationToken).Completion.ConfigureAwait(false);

        if (source.Divergence is { } divergence)
        {
            return divergence with { StepsReplayed = steps.Count(s => source.WasUsed(s.StepId!)) };
        }

        if (result.Error is { Code: RunErrorCodes.LedgerFailed } failure)
        {
            // The replay could not use the recording (an erased step, say).
            return new ReplayResult
            {
                Identical = false, Reason = "replay_failed", Detail = failure.Message, StepsReplayed = steps.Count(s => source.WasUsed(s.StepId!)),
            };
        }

        foreach (var step in steps)
        {
            if (!source.WasUsed(step.StepId!))
            {
                return new ReplayResult
                {
                    Identical = false, DivergedAtSeq = step.Seq, StepId = step.StepId, Reason = "missing_step",
                    Detail = $"the workflow no longer reaches recorded step '{step.StepId}'",
                    StepsReplayed = steps.Count(s => source.WasUsed(s.StepId!)),
                };
            }
        }

        return new ReplayResult { Identical = true, StepsReplayed = steps.Count };
    }
}
