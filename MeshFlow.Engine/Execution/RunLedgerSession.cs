using System.Collections.Concurrent;
using MeshFlow.Approvals;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Privacy;
using MeshFlow.Runs;
using MeshFlow.Steps;

namespace MeshFlow.Execution;

/// <summary>A run's life in the ledger: run_start (or the records it resumes from), run_end and the signed head.</summary>
internal sealed class RunLedgerSession(RunScope run, bool resume, IReadOnlyList<LedgerRecord>? resumeFrom)
{
    private bool _alreadyEnded;

    /// <summary>Opens the run's chain, recording run_start or loading the steps to reuse; the error when it cannot.</summary>
    public async Task<RunError?> OpenAsync()
    {
        if (run.Replay is { } replay)
        {
            run.Recorded = new ConcurrentDictionary<string, LedgerRecord>(replay.Steps, StringComparer.Ordinal);
            run.Approvals = replay.Approvals;
            return null;
        }

        if (run.Engine.Ledger is not { } ledger)
        {
            return null;
        }

        // Opening is not cut short by the run's cancellation: a run cancelled before it began still records that it
        // was cancelled.
        var cancellationToken = CancellationToken.None;
        try
        {
            var chain = run.Chain = resume && resumeFrom is { Count: > 0 } preloaded
                ? ledger.Open(run.TenantId, run.RunId, preloaded[^1])
                : await ledger.OpenAsync(run.TenantId, run.RunId, cancellationToken).ConfigureAwait(false);
            if (chain.Tail is null)
            {
                if (resume)
                {
                    throw new InvalidOperationException($"run '{run.RunId}' has no records to resume");
                }

                var start = LedgerPayloads.RunStart(new RunStartPayload
                {
                    Workflow = run.Workflow.Name, WorkflowDigest = run.Workflow.Digest, Input = run.Sinks.ScrubsPhi ? PhiScrubber.Scrub(run.Input) : run.Input, Policy = run.Policy,
                });
                await chain.AppendAsync(new LedgerEntry { Kind = LedgerRecordKinds.RunStart, Payload = start }, null, cancellationToken)
                    .ConfigureAwait(false);
                return null;
            }

            if (!resume)
            {
                throw new InvalidOperationException($"run '{run.RunId}' already has records; start it with Resume to continue it");
            }

            var records = resumeFrom is { Count: > 0 } ? resumeFrom
                : await ledger.Store.ReadRecordsAsync(run.TenantId, run.RunId, cancellationToken).ConfigureAwait(false);
            // The wall-time budget counts the time the run has spent executing, not the time it waited in the queue or
            // for a human: its recorded steps' time, then this execution's.
            var executed = records.Where(r => r.Kind == LedgerRecordKinds.Step).Sum(r => r.DurationMs);
            run.StartedAt -= TimeSpan.FromMilliseconds(executed);

            // A step approved before its call has two records (its escalation, then its run): the later one stands.
            var recorded = new ConcurrentDictionary<string, LedgerRecord>(StringComparer.Ordinal);
            foreach (var record in records)
            {
                if (record.Kind == LedgerRecordKinds.Step && record.StepId is { } stepId)
                {
                    recorded[stepId] = record;
                }
            }

            run.Recorded = recorded;
            run.Approvals = ApprovalHistory.Read(records);
            if (run.Policy.Guardian is { Enabled: true, UntrustedInput: true } && InputApproved(records, run.Approvals))
            {
                run.Audit.ApproveInput();
            }

            _alreadyEnded = records.Any(r => r.Kind == LedgerRecordKinds.RunEnd);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new RunError(RunErrorCodes.LedgerFailed, $"the ledger could not open run '{run.RunId}': {ex.Message}");
        }
    }

    // Whether a reviewer approved a step the guardian had stopped for the run's input.
    private static bool InputApproved(IReadOnlyList<LedgerRecord> records, ApprovalHistory approvals) =>
        records.Any(r => r is { Kind: LedgerRecordKinds.Step, StepId: { } stepId, Redacted: false }
            && approvals.Decisions.TryGetValue(stepId, out var decision) && decision.State == ApprovalState.Approved
            && LedgerPayloads.ReadStep(r.Payload).Guardian?.Any(f => f.Source == GuardianSources.RunInput) == true);

    /// <summary>
    /// Records run_end (or, when the run paused, its pause) unless the run had ended already, and signs the head. The
    /// error when the outcome could not be recorded; <c>HeadUnsigned</c> when only the signature is missing; the pause
    /// when one was recorded.
    /// </summary>
    public async Task<(RunError? Error, bool HeadUnsigned, ApprovalPause? Pause)> CloseAsync(RunResult result)
    {
        if (run.Chain is not { Tail: not null } chain)
        {
            return (null, false, null);
        }

        ApprovalPause? pause = null;
        try
        {
            if (result.Status == RunStatus.Paused)
            {
                // A pause the chain already holds undecided (the run was delivered again while it waits) is not
                // recorded twice.
                if (run.Pause is { } request && run.Approvals.WaitingStep != request.Step.StepId)
                {
                    pause = await PauseRecorder.RecordAsync(run, chain, request, CancellationToken.None).ConfigureAwait(false);
                }
            }
            else if (!_alreadyEnded)
            {
                var end = LedgerPayloads.RunEnd(new RunEndPayload
                {
                    Status = WireNames.Of(result.Status), Output = run.Sinks.Clean(result.Output), Error = run.Sinks.Clean(result.Error),
                });
                await chain.AppendAsync(new LedgerEntry
                {
                    Kind = LedgerRecordKinds.RunEnd, Payload = end, Tokens = result.Tokens, CostUsd = result.CostUsd,
                    DurationMs = (result.EndedAt - result.StartedAt).TotalMilliseconds,
                }, null, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            return (new RunError(RunErrorCodes.LedgerFailed, $"the ledger could not close run '{run.RunId}': {ex.Message}"), false, null);
        }

        try
        {
            // The head is signed when the run ends or pauses. The outcome is committed already: a failure here leaves
            // it standing, with the head unsigned until the run's next delivery signs it.
            await chain.SignHeadAsync(CancellationToken.None).ConfigureAwait(false);
            return (null, false, pause);
        }
#pragma warning disable CA1031 // Any failure of the signature leaves the same state: an unsigned head, reported on the result.
        catch (Exception)
#pragma warning restore CA1031
        {
            return (null, true, pause);
        }
    }
}
