using System.Text.Json;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Governance.Collusion;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Workflows;

namespace MeshFlow.Steps;

/// <summary>
/// A step's ledger side: commits its record with the run's checkpoint before anyone hears it ended, and stands a
/// step the ledger already holds in for its execution (a resumed run, or a replay).
/// </summary>
internal sealed class StepRecorder(RunScope run)
{
    /// <summary>
    /// Commits the step's record and checkpoint, then a record of each collusion finding. What leaves the step is
    /// cleaned on its way (<see cref="RunScope.Sinks"/>): <paramref name="published"/> is its output as already cleaned
    /// while it streamed.
    /// </summary>
    public async ValueTask RecordAsync(StepRecord step, string published, StepCheckContext check, string? hitlStage = null)
    {
        if (run.Chain is not { } chain)
        {
            return;
        }

        var sinks = run.Sinks;
        var limit = run.Policy.MaxOutputChars;
        var truncated = limit > 0 && published.Length > limit;
        var state = run.State.Values.Count > 0 ? JsonSerializer.SerializeToElement(run.State) : (JsonElement?)null;
        var guardian = check.GuardianFindings;
        var payload = LedgerPayloads.Step(new StepPayload
        {
            StepId = step.StepId,
            Iteration = step.Iteration,
            InputTask = sinks.Clean(step.InputTask),
            Output = truncated ? published[..limit] : published,
            OutputTruncated = truncated,
            OutputChars = published.Length,
            ToolCalls = sinks.Clean(step.ToolCalls),
            Model = step.Model,
            Offline = step.Offline,
            Provider = step.Provider,
            CachedInputTokens = step.Tokens.CachedInput,
            Unpriced = step.Unpriced,
            FinishReason = step.FinishReason,
            ModelAttempts = step.ModelAttempts is { } attempts ? [.. attempts.Select(a => a with { Detail = sinks.CleanOrNull(a.Detail) })] : null,
            BlockDetail = sinks.CleanOrNull(step.BlockDetail),
            Risk = step.Risk is { Detail: { } riskDetail } risk ? risk with { Detail = sinks.Clean(riskDetail) } : step.Risk,
            Uncertainty = check.UncertaintyFinding,
            HitlStage = hitlStage,
            Guardian = guardian.Count > 0 ? guardian : null,
            RetrievedChunks = step.RetrievedChunks is { } chunks
                ? [.. chunks.Select(c => c with { ChunkId = sinks.Clean(c.ChunkId), DocumentId = sinks.Clean(c.DocumentId), Source = sinks.CleanOrNull(c.Source) })]
                : null,
            State = state is { } value ? sinks.CleanJson(value) : null,
        });
        var checkpoint = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["step_id"] = step.StepId,
            ["steps"] = run.Budget.Steps,
            ["tokens"] = run.Budget.Tokens,
            ["cost_usd"] = run.Budget.CostUsd,
            ["state"] = state is { } checkpointState ? sinks.CleanJson(checkpointState) : run.State,
        });
        try
        {
            await chain.AppendAsync(new LedgerEntry
            {
                Kind = LedgerRecordKinds.Step, Payload = payload, NodeId = step.NodeId, AgentId = step.AgentId, AgentDid = step.AgentDid, StepId = step.StepId,
                Verdict = WireNames.Of(step.Verdict), BlockReason = step.BlockReason is { } reason ? WireNames.Of(reason) : null,
                Tokens = step.Tokens, CostUsd = step.CostUsd, DurationMs = step.DurationMs, Uncertainty = step.Uncertainty,
            }, checkpoint, CancellationToken.None).ConfigureAwait(false);

            var action = WireNames.Of(run.Policy.CollusionAudit.OnFinding);
            foreach (var finding in check.CollusionFindings)
            {
                await chain.AppendAsync(new LedgerEntry
                {
                    Kind = LedgerRecordKinds.Collusion, NodeId = step.NodeId, AgentId = step.AgentId, StepId = step.StepId,
                    Payload = LedgerPayloads.Collusion(new CollusionPayload
                    {
                        Pattern = finding.Pattern, Agents = finding.Agents, Steps = finding.Steps, Detail = sinks.Clean(finding.Detail), Action = action,
                    }),
                }, null, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"the ledger could not record step '{step.StepId}': {ex.Message}", ex);
        }
    }

    // A step the ledger already holds is not executed again: its recorded output stands, and its events are
    // published again so a reader of this run sees every step.
    // A decided pause settles its step's recorded escalation (settled: commit on approval, blocked on rejection).
    public StepCompletion Reuse(StepWork work, WorkflowNode node, string stepId, LedgerRecord record, Func<string> inputTask,
        StepVerdict? settled = null)
    {
        if (record.Redacted)
        {
            return StepCompletion.Failed(work.Node, new RunError(RunErrorCodes.LedgerFailed,
                $"step '{stepId}' was erased from the ledger and cannot be reused", node.Id));
        }

        var payload = LedgerPayloads.ReadStep(record.Payload);
        if (record.NodeId != node.Id)
        {
            return Diverged(work.Node, record, stepId, "different_node", $"the recording ran node '{record.NodeId}' as step '{stepId}'");
        }

        if (run.Replay is { } replay)
        {
            // The recording holds the task as it left the step: cleaned, when the policy cleans.
            if (!string.Equals(run.Sinks.Clean(inputTask()), payload.InputTask, StringComparison.Ordinal))
            {
                return Diverged(work.Node, record, stepId, "different_input", $"step '{stepId}' now gets a different input than the recording");
            }

            replay.MarkUsed(stepId);
        }

        var verdict = record.Verdict is { } v ? WireNames.Parse<Verdict>(v) : Verdict.Commit;
        BlockReason? reason = record.BlockReason is { } b ? WireNames.Parse<BlockReason>(b) : null;
        var detail = payload.BlockDetail;
        if (settled is { } decided)
        {
            (verdict, reason, detail) = (decided.Verdict, decided.Reason, decided.Detail);
        }
        else if (verdict == Verdict.Escalate)
        {
            // Still undecided (a run delivered again while it waits, or one that stopped before its pause was
            // recorded): the run pauses at this step again.
            run.RequestPause(new PauseRequest(StepOf(record, payload, node, work), payload.HitlStage ?? Approvals.ApprovalStage.BeforeStep,
                new StepVerdict(verdict, reason, detail), (node as HumanNode)?.Instructions));
        }
        var tokens = new TokenUsage(record.TokensInput, record.TokensOutput, record.TokensEstimated);
        run.Budget.TryReserveStep(0);
        run.Budget.Add(tokens, record.CostUsd);
        if (payload.State is { ValueKind: JsonValueKind.Object } state)
        {
            foreach (var property in state.EnumerateObject())
            {
                run.State.SetElement(property.Name, property.Value.Clone());
            }
        }

        var events = run.Events;
        events.Publish(new StepStartEvent
        {
            RunId = run.RunId, NodeId = node.Id, StepId = stepId, AgentId = record.AgentId, Iteration = work.Iteration, Model = payload.Model, Offline = payload.Offline,
            AgentDid = record.AgentDid,
        });
        if (payload.Output.Length > 0)
        {
            events.Publish(new TokenDeltaEvent { RunId = run.RunId, NodeId = node.Id, StepId = stepId, AgentId = record.AgentId, Text = payload.Output });
        }

        events.Publish(new StepEndEvent
        {
            RunId = run.RunId, NodeId = node.Id, StepId = stepId, AgentId = record.AgentId, Output = payload.Output, Verdict = verdict, BlockReason = reason,
            Tokens = tokens, CostUsd = record.CostUsd, DurationMs = record.DurationMs, Model = payload.Model, Offline = payload.Offline,
            BlockDetail = detail, AgentDid = record.AgentDid, RiskTier = payload.Risk?.Tier, RiskRule = payload.Risk?.Rule,
            Uncertainty = record.Uncertainty,
        });
        run.AddStep(StepOf(record, payload, node, work) with { Verdict = verdict, BlockReason = reason, BlockDetail = detail });
        Remember(node, work, stepId, payload, record);

        return new StepCompletion(work.Node, payload.Output, new StepVerdict(verdict, reason, detail), null);
    }

    // A resumed run's collusion audit and behaviour monitor start empty: the steps it reuses are shown to them, so that
    // a pattern spanning a pause is still seen (what they found then is recorded already and is not reported again).
    private void Remember(WorkflowNode node, StepWork work, string stepId, StepPayload payload, LedgerRecord record)
    {
        var policy = run.Policy;
        var agentId = (node as AgentNode)?.AgentId;
        if (policy.CollusionAudit.Enabled)
        {
            _ = run.Audit.Collusion.Observe(new CollusionStep
            {
                StepId = stepId, NodeId = node.Id, AgentId = agentId, Role = node.Role, Output = payload.Output, ToolCalls = payload.ToolCalls,
                Capabilities = node is AgentNode agent ? run.CapabilitiesOf(work.Node, agent).Set : run.AllowedTools,
                Inputs = [.. work.Inputs.Select(input => new CollusionInput(input.NodeId, run.Audit.LastStepOf(input.NodeId), run.Audit.AgentOf(input.NodeId), input.Output))],
            });
            run.Audit.Finished(node.Id, stepId, agentId);
        }

        if (agentId is not null && policy.Guardian is { Enabled: true, Behaviour: true })
        {
            _ = run.Audit.Behaviour.Observe(agentId, stepId, work.Iteration, payload.Output, record.TokensInput + record.TokensOutput, record.CostUsd);
        }
    }

    private static StepRecord StepOf(LedgerRecord record, StepPayload payload, WorkflowNode node, StepWork work) => new()
    {
        StepId = payload.StepId, NodeId = node.Id, AgentId = record.AgentId, Kind = node.Kind, Role = node.Role,
        Iteration = work.Iteration, InputTask = payload.InputTask, Output = payload.Output, ToolCalls = payload.ToolCalls,
        Verdict = record.Verdict is { } v ? WireNames.Parse<Verdict>(v) : Verdict.Commit,
        BlockReason = record.BlockReason is { } b ? WireNames.Parse<BlockReason>(b) : null, BlockDetail = payload.BlockDetail,
        Tokens = new TokenUsage(record.TokensInput, record.TokensOutput, record.TokensEstimated), CostUsd = record.CostUsd,
        StartedAt = record.Timestamp, DurationMs = record.DurationMs, Model = payload.Model, Offline = payload.Offline, AgentDid = record.AgentDid,
        Risk = payload.Risk, Uncertainty = record.Uncertainty, RetrievedChunks = payload.RetrievedChunks,
    };

    public StepCompletion Diverged(int node, LedgerRecord? record, string stepId, string reason, string detail)
    {
        run.Replay?.Diverge(record?.Seq, stepId, reason, detail);
        return StepCompletion.Failed(node, new RunError(RunErrorCodes.ReplayDiverged, detail, run.Workflow.Graph.Nodes[node].Id));
    }
}
