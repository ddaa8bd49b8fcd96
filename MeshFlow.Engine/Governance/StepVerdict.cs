namespace MeshFlow.Governance;

/// <summary>A check's decision about a step, with the reason when it is not <see cref="Verdict.Commit"/>.</summary>
/// <param name="Verdict">Commit, blocked or escalate.</param>
/// <param name="Reason">Which kind of check refused the step.</param>
/// <param name="Detail">A message for people, such as <c>MaxSteps (5) reached</c>.</param>
public readonly record struct StepVerdict(Verdict Verdict, BlockReason? Reason = null, string? Detail = null)
{
    /// <summary>The step stands.</summary>
    public static StepVerdict Commit => default;

    /// <summary>True when the step stands.</summary>
    public bool IsCommit => Verdict == Verdict.Commit;

    /// <summary>Refuses the step.</summary>
    public static StepVerdict Block(BlockReason reason, string detail) => new(Verdict.Blocked, reason, detail);

    /// <summary>Hands the step to a human.</summary>
    public static StepVerdict Escalate(BlockReason reason, string detail) => new(Verdict.Escalate, reason, detail);
}
