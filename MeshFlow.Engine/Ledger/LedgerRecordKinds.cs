namespace MeshFlow.Ledger;

/// <summary>The kinds of ledger records.</summary>
public static class LedgerRecordKinds
{
    /// <summary>The first record of a run: its input, policy and workflow digest.</summary>
    public const string RunStart = "run_start";

    /// <summary>One step: its task, full output, tool calls, verdict, tokens, cost and duration.</summary>
    public const string Step = "step";

    /// <summary>The last record of a run: its status, output and error.</summary>
    public const string RunEnd = "run_end";

    /// <summary>The run paused for a human: the step, why, the tier, the context and the deadline.</summary>
    public const string HitlPause = "hitl_pause";

    /// <summary>A pause was decided: the reviewer, the notes, the decision, the time and the deadline it met.</summary>
    public const string HitlDecision = "hitl_decision";

    /// <summary>A pause nobody decided in time was escalated and its deadline extended once.</summary>
    public const string HitlEscalated = "hitl_escalated";

    /// <summary>The collusion audit found a pattern across the run's agents: the pattern, the agents, their steps, why.</summary>
    public const string Collusion = "collusion";
}
