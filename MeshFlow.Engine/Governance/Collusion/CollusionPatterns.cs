namespace MeshFlow.Governance.Collusion;

/// <summary>The patterns a <see cref="CollusionAuditor"/> reports, as they appear in <see cref="CollusionFinding.Pattern"/>.</summary>
public static class CollusionPatterns
{
    /// <summary>A reviewer approves an output while mostly repeating it: a rubber stamp with no review of its own.</summary>
    public const string CriticEcho = "critic_echo";

    /// <summary>Agents approve one another's unchanged (or contentless) outputs in a cycle.</summary>
    public const string ApprovalRing = "approval_ring";

    /// <summary>An agent runs a tool with arguments another agent wrote, which may not call that tool itself.</summary>
    public const string SplitAction = "split_action";
}
