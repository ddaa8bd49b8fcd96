using System.Collections.Concurrent;
using System.Text.Json;
using MeshFlow.Events;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Workflows;

namespace MeshFlow.Execution;

/// <summary>The run's ledger side: run_start, one record per step with its checkpoint, run_end, the signed head.</summary>
internal sealed partial class RunExecution
{
    private readonly string _tenantId;
    private readonly bool _resume;
    private readonly IReadOnlyList<LedgerRecord>? _resumeFrom;
    private readonly ReplaySource? _replay;
    private AuditLedger.RunChain? _chain;
    private ConcurrentDictionary<string, LedgerRecord>? _recorded;
    private bool _alreadyEnded;

    private async Task OpenLedgerAsync()
    {
        if (_replay is not null)
        {
            _recorded = new ConcurrentDictionary<string, LedgerRecord>(_replay.Steps, StringComparer.Ordinal);
            return;
        }

        if (_engine.Ledger is not { } ledger)
        {
            return;
        }

        // Opening is not cut short by the run's cancellation: a run cancelled before it began still records that it
        // was cancelled.
        var cancellationToken = CancellationToken.None;
        try
        {
            _chain = _resume && _resumeFrom is { Count: > 0 } preloaded
                ? ledger.Open(_tenantId, _runId, preloaded[^1])
                : await ledger.OpenAsync(_tenantId, _runId, cancellationToken).ConfigureAwait(false);
            if (_chain.Tail is null)
            {
                if (_resume)
                {
                    throw new InvalidOperationException($"run '{_runId}' has no records to resume");
                }

                var start = LedgerPayloads.RunStart(new RunStartPayload
                {
                    Workflow = _workflow.Name, WorkflowDigest = _workflow.Digest, Input = _input, Policy = _policy,
                });
                await _chain.AppendAsync(new LedgerEntry { Kind = LedgerRecordKinds.RunStart, Payload = start }, null, cancellationToken)
                    .ConfigureAwait(false);
                return;
            }

            if (!_resume)
            {
                throw new InvalidOperationException($"run '{_runId}' already has records; start it with Resume to continue it");
            }

            var records = _resumeFrom is { Count: > 0 } ? _resumeFrom
                : await ledger.Store.ReadRecordsAsync(_tenantId, _runId, cancellationToken).ConfigureAwait(false);
            _recorded = new ConcurrentDictionary<string, LedgerRecord>(
                records.Where(r => r.Kind == LedgerRecordKinds.Step && r.StepId is not null).Select(r => KeyValuePair.Create(r.StepId!, r)),
                StringComparer.Ordinal);
            _alreadyEnded = records.Any(r => r.Kind == LedgerRecordKinds.RunEnd);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            End(RunStatus.Failed, new RunError(RunErrorCodes.LedgerFailed, $"the ledger could not open run '{_runId}': {ex.Message}"));
        }
    }

    private async Task CloseLedgerAsync(RunResult result)
    {
        if (_chain is null || _chain.Tail is null)
        {
            return;
        }

        try
        {
            if (result.Status != RunStatus.Paused && !_alreadyEnded)
            {
                var end = LedgerPayloads.RunEnd(new RunEndPayload { Status = WireNames.Of(result.Status), Output = result.Output, Error = result.Error });
                await _chain.AppendAsync(new LedgerEntry
                {
                    Kind = LedgerRecordKinds.RunEnd, Payload = end, Tokens = result.Tokens, CostUsd = result.CostUsd,
                    DurationMs = (result.EndedAt - result.StartedAt).TotalMilliseconds,
                }, null, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            _terminal = RunStatus.Failed;
            _error = new RunError(RunErrorCodes.LedgerFailed, $"the ledger could not close run '{_runId}': {ex.Message}");
            return;
        }

        try
        {
            // The head is signed when the run ends or pauses. The outcome is committed already: a failure here leaves
            // it standing, with the head unsigned until the run's next delivery signs it.
            await _chain.SignHeadAsync(CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any failure of the signature leaves the same state: an unsigned head, reported on the result.
        catch (Exception)
#pragma warning restore CA1031
        {
            _headUnsigned = true;
        }
    }

    private async ValueTask RecordStepAsync(StepRecord step)
    {
        if (_chain is null)
        {
            return;
        }

        var output = step.Output;
        var limit = _policy.MaxOutputChars;
        var truncated = limit > 0 && output.Length > limit;
        var payload = LedgerPayloads.Step(new StepPayload
        {
            StepId = step.StepId,
            Iteration = step.Iteration,
            InputTask = step.InputTask,
            Output = truncated ? output[..limit] : output,
            OutputTruncated = truncated,
            OutputChars = output.Length,
            ToolCalls = step.ToolCalls,
            Model = step.Model,
            Offline = step.Offline,
            BlockDetail = step.BlockDetail,
            State = _state.Values.Count > 0 ? JsonSerializer.SerializeToElement(_state) : null,
        });
        var checkpoint = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["step_id"] = step.StepId,
            ["steps"] = _budget.Steps,
            ["tokens"] = _budget.Tokens,
            ["cost_usd"] = _budget.CostUsd,
            ["state"] = _state,
        });
        try
        {
            await _chain.AppendAsync(new LedgerEntry
            {
                Kind = LedgerRecordKinds.Step, Payload = payload, NodeId = step.NodeId, AgentId = step.AgentId, StepId = step.StepId,
                Verdict = WireNames.Of(step.Verdict), BlockReason = step.BlockReason is { } reason ? WireNames.Of(reason) : null,
                Tokens = step.Tokens, CostUsd = step.CostUsd, DurationMs = step.DurationMs,
            }, checkpoint, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"the ledger could not record step '{step.StepId}': {ex.Message}", ex);
        }
    }

    private LedgerRecord? TakeRecorded(string stepId) =>
        _recorded is not null && _recorded.TryRemove(stepId, out var record) ? record : null;

    // A step the ledger already holds is not executed again: its recorded output stands, and its events are
    // published again so a reader of this run sees every step.
    private StepCompletion ReuseRecorded(StepWork work, WorkflowNode node, string stepId, LedgerRecord record)
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

        if (_replay is not null)
        {
            var inputTask = node is AgentNode agent ? AgentInputTask(agent, work) : NodeContext.Merge(_input, work.Inputs);
            if (!string.Equals(inputTask, payload.InputTask, StringComparison.Ordinal))
            {
                return Diverged(work.Node, record, stepId, "different_input", $"step '{stepId}' now gets a different input than the recording");
            }

            _replay.MarkUsed(stepId);
        }

        var verdict = record.Verdict is { } v ? WireNames.Parse<Verdict>(v) : Verdict.Commit;
        BlockReason? reason = record.BlockReason is { } b ? WireNames.Parse<BlockReason>(b) : null;
        var tokens = new TokenUsage(record.TokensInput, record.TokensOutput, record.TokensEstimated);
        _budget.TryReserveStep(0);
        _budget.Add(tokens, record.CostUsd);
        if (payload.State is { ValueKind: JsonValueKind.Object } state)
        {
            foreach (var property in state.EnumerateObject())
            {
                _state.SetElement(property.Name, property.Value.Clone());
            }
        }

        _events.Publish(new StepStartEvent
        {
            RunId = _runId, NodeId = node.Id, StepId = stepId, AgentId = record.AgentId, Iteration = work.Iteration, Model = payload.Model, Offline = payload.Offline,
        });
        if (payload.Output.Length > 0)
        {
            _events.Publish(new TokenDeltaEvent { RunId = _runId, NodeId = node.Id, StepId = stepId, AgentId = record.AgentId, Text = payload.Output });
        }

        _events.Publish(new StepEndEvent
        {
            RunId = _runId, NodeId = node.Id, StepId = stepId, AgentId = record.AgentId, Output = payload.Output, Verdict = verdict, BlockReason = reason,
            Tokens = tokens, CostUsd = record.CostUsd, DurationMs = record.DurationMs, Model = payload.Model, Offline = payload.Offline,
        });
        lock (_stepsGate)
        {
            _steps.Add(new StepRecord
            {
                Index = _steps.Count + 1, StepId = stepId, NodeId = node.Id, AgentId = record.AgentId, Kind = node.Kind, Role = node.Role,
                Iteration = work.Iteration, InputTask = payload.InputTask, Output = payload.Output, ToolCalls = payload.ToolCalls, Verdict = verdict,
                BlockReason = reason, BlockDetail = payload.BlockDetail, Tokens = tokens, CostUsd = record.CostUsd, StartedAt = record.Timestamp,
                DurationMs = record.DurationMs, Model = payload.Model, Offline = payload.Offline,
            });
        }

        return new StepCompletion(work.Node, payload.Output, new StepVerdict(verdict, reason, payload.BlockDetail), null);
    }

    private StepCompletion Diverged(int node, LedgerRecord? record, string stepId, string reason, string detail)
    {
        _replay?.Diverge(record?.Seq, stepId, reason, detail);
        return StepCompletion.Failed(node, new RunError(RunErrorCodes.ReplayDiverged, detail, _graph.Nodes[node].Id));
    }
}
