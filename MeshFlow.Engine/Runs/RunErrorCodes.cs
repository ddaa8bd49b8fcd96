namespace MeshFlow.Runs;

/// <summary>The stable codes of <see cref="RunError"/>.</summary>
public static class RunErrorCodes
{
    /// <summary>A loop edge was taken more times than its bound allows.</summary>
    public const string MaxIterationsExceeded = "MaxIterationsExceeded";

    /// <summary>A node threw or its model failed.</summary>
    public const string NodeFailed = "NodeFailed";

    /// <summary>A step ran past the policy's step timeout.</summary>
    public const string StepTimeout = "StepTimeout";

    /// <summary>A condition could not be evaluated (for example, comparing text with a number).</summary>
    public const string ConditionFailed = "ConditionFailed";

    /// <summary>A step pipeline check blocked a step.</summary>
    public const string Blocked = "Blocked";

    /// <summary>A step pipeline check escalated a step to a human.</summary>
    public const string Escalated = "Escalated";

    /// <summary>A check of the step pipeline threw: the step was stopped (checks fail closed), and the error names the check.</summary>
    public const string CheckFailed = "CheckFailed";

    /// <summary>The ledger could not record the run.</summary>
    public const string LedgerFailed = "LedgerFailed";

    /// <summary>A replayed run left the recording: a step the recording lacks, or one with a different input.</summary>
    public const string ReplayDiverged = "ReplayDiverged";

    /// <summary>The run was cancelled.</summary>
    public const string Cancelled = "Cancelled";

    /// <summary>The run's queue entry was delivered too many times without completing and was dead-lettered.</summary>
    public const string DeadLettered = "DeadLettered";

    /// <summary>The run's workflow definition could not be loaded by the worker.</summary>
    public const string InvalidWorkflow = "InvalidWorkflow";

    /// <summary>A model's stream broke after its first token; the step runs again whole (the event's message says so).</summary>
    public const string StreamInterrupted = "StreamInterrupted";
}
