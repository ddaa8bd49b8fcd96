namespace MeshFlow.Approvals;

/// <summary>The ways a decision on a run can come out.</summary>
public enum ApprovalOutcomeKind
{
    /// <summary>This decision resolved the pause.</summary>
    Decided,

    /// <summary>The tenant has no such run.</summary>
    NotFound,

    /// <summary>The run exists but has never paused.</summary>
    NotPaused,

    /// <summary>Another decision (a reviewer's, or the deadline's) resolved the pause first.</summary>
    AlreadyDecided,
}
