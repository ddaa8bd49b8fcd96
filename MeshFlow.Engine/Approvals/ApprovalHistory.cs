using MeshFlow.Ledger;

namespace MeshFlow.Approvals;

/// <summary>What a run's chain says about its pauses: the decision on each step's latest pause, and the pause still waiting.</summary>
internal sealed class ApprovalHistory
{
    private ApprovalHistory(IReadOnlyDictionary<string, StepDecision> decisions, string? waitingStep)
    {
        Decisions = decisions;
        WaitingStep = waitingStep;
    }

    /// <summary>
    /// The rejection that ends the run, when the chain's last record is one: nothing has run since, and nothing
    /// should (the run ends <c>blocked</c> without executing).
    /// </summary>
    public static (string StepId, StepDecision Decision)? FinalRejection(IReadOnlyList<LedgerRecord> records)
    {
        if (records.Count == 0 || records[^1] is not { Kind: LedgerRecordKinds.HitlDecision, Redacted: false } last)
        {
            return null;
        }

        var decision = ApprovalPayloads.ReadDecision(last.Payload);
        return decision.Decision == ApprovalState.Rejected
            ? (decision.StepId, new StepDecision(decision.Decision, ApprovalStage.BeforeStep, decision.ReviewerId, decision.Notes))
            : null;
    }

    /// <summary>The words a rejection ends its step (and run) with.</summary>
    public static string Describe(StepDecision rejection) =>
        $"rejected by reviewer '{rejection.ReviewerId}'" + (string.IsNullOrWhiteSpace(rejection.Notes) ? string.Empty : $": {rejection.Notes}");

    public static ApprovalHistory None { get; } = new(new Dictionary<string, StepDecision>(), null);

    /// <summary>The decision on each step's latest pause, by step id (a step whose latest pause is undecided has none).</summary>
    public IReadOnlyDictionary<string, StepDecision> Decisions { get; }

    /// <summary>The step of the run's last pause when it is still undecided.</summary>
    public string? WaitingStep { get; }

    /// <summary>Reads the history from a run's records, in sequence order. Erased payloads are skipped.</summary>
    public static ApprovalHistory Read(IReadOnlyList<LedgerRecord> records)
    {
        Dictionary<long, HitlPausePayload>? pauses = null;
        Dictionary<string, StepDecision>? decisions = null;
        string? waiting = null;
        foreach (var record in records)
        {
            if (record.Redacted)
            {
                continue;
            }

            switch (record.Kind)
            {
                case LedgerRecordKinds.HitlPause:
                    var pause = ApprovalPayloads.ReadPause(record.Payload);
                    (pauses ??= [])[record.Seq] = pause;
                    decisions?.Remove(pause.StepId);
                    waiting = pause.StepId;
                    break;
                case LedgerRecordKinds.HitlDecision:
                    var decision = ApprovalPayloads.ReadDecision(record.Payload);
                    var stage = pauses is not null && pauses.TryGetValue(decision.PauseSeq, out var paused) ? paused.Stage : ApprovalStage.BeforeStep;
                    (decisions ??= new(StringComparer.Ordinal))[decision.StepId] =
                        new StepDecision(decision.Decision, stage, decision.ReviewerId, decision.Notes);
                    if (waiting == decision.StepId)
                    {
                        waiting = null;
                    }

                    break;
            }
        }

        return pauses is null ? None : new ApprovalHistory(decisions ?? new Dictionary<string, StepDecision>(), waiting);
    }
}
