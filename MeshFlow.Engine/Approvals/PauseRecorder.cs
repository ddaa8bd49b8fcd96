using System.Text.Json;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Steps;

namespace MeshFlow.Approvals;

/// <summary>
/// Commits a run's pause: its <c>hitl_pause</c> record, the pause the reviewers see, the run's <c>paused</c> status and
/// the notification, together (<see cref="IApprovalStore.PauseAsync"/>).
/// </summary>
internal static class PauseRecorder
{
    /// <summary>The pause a step's escalation asks for, at <paramref name="seq"/> (0 while unrecorded).</summary>
    public static ApprovalPause Describe(RunScope run, PauseRequest request, DateTimeOffset now, long seq)
    {
        var hitl = run.Policy.Hitl;
        var createdAt = LedgerHashing.Truncate(now);
        return new ApprovalPause
        {
            TenantId = run.TenantId, RunId = run.RunId, PauseSeq = seq, Workflow = run.Workflow.Name, NodeId = request.Step.NodeId,
            StepId = request.Step.StepId, Stage = request.Stage,
            Reason = run.Sinks.Clean(request.Verdict.Detail ?? (request.Instructions is null ? "escalated to a human" : "approval step")),
            BlockReason = request.Verdict.Reason is { } reason ? WireNames.Of(reason) : null,
            Tier = request.Verdict.Reason == BlockReason.Dasc && request.Step.Risk is { } risk ? WireNames.Of(risk.Tier) : null,
            // The context goes into the ledger, the reviewers' inbox and the webhook: its texts are cleaned whole, like
            // everything leaving the run, before they are cut to length.
            Context = ApprovalContext.Build(run.Workflow.Name, Cleaned(run, request.Step), request.Stage, request.Instructions).GetRawText(),
            CreatedAt = createdAt, ExpiresAt = createdAt.AddSeconds(hitl.TimeoutSeconds), OnTimeout = hitl.OnTimeout,
            TimeoutSeconds = hitl.TimeoutSeconds, WebhookUrl = hitl.WebhookUrl, EscalateTo = hitl.EscalateTo,
        };
    }

    private static StepRecord Cleaned(RunScope run, StepRecord step) =>
        run.Sinks.Active
            ? step with { InputTask = run.Sinks.Clean(step.InputTask), Output = run.Sinks.Clean(step.Output), ToolCalls = run.Sinks.Clean(step.ToolCalls) }
            : step;

    /// <summary>Records the pause on the run's chain; the pause as stored.</summary>
    public static async Task<ApprovalPause> RecordAsync(RunScope run, AuditLedger.RunChain chain, PauseRequest request, CancellationToken cancellationToken)
    {
        var described = Describe(run, request, run.Engine.TimeProvider.GetUtcNow(), 0);
        var payload = ApprovalPayloads.Pause(new HitlPausePayload
        {
            StepId = described.StepId, Stage = described.Stage, Reason = described.Reason, BlockReason = described.BlockReason,
            Tier = described.Tier, Context = JsonSerializer.Deserialize<JsonElement>(described.Context), ExpiresAt = described.ExpiresAt,
            OnTimeout = described.OnTimeout,
        });
        var entry = new LedgerEntry
        {
            Kind = LedgerRecordKinds.HitlPause, Payload = payload, NodeId = described.NodeId, AgentId = request.Step.AgentId,
            AgentDid = request.Step.AgentDid, StepId = described.StepId, Verdict = WireNames.Of(Verdict.Escalate), BlockReason = described.BlockReason,
        };

        if (run.Engine.Ledger?.Store is not IApprovalStore approvals)
        {
            var record = await chain.AppendAsync(entry, null, cancellationToken).ConfigureAwait(false);
            return described with { PauseSeq = record.Seq };
        }

        var (pause, _) = await chain.AppendThroughAsync(entry, async (record, token) =>
        {
            var stored = described with { PauseSeq = record.Seq };
            await approvals.PauseAsync(record, stored, ApprovalNotifications.Pause(stored, run.Engine.PublicUrl), token).ConfigureAwait(false);
            return (stored, true);
        }, cancellationToken).ConfigureAwait(false);
        return pause;
    }
}
