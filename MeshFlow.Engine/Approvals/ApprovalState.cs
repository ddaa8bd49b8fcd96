namespace MeshFlow.Approvals;

/// <summary>Where a pause stands, as stored (<c>pending</c>, <c>approved</c>, <c>rejected</c>).</summary>
public static class ApprovalState
{
    /// <summary>Waiting for a decision.</summary>
    public const string Pending = "pending";

    /// <summary>Approved: the paused step runs.</summary>
    public const string Approved = "approved";

    /// <summary>Rejected: the run ends blocked (<c>hitl_rejected</c>).</summary>
    public const string Rejected = "rejected";
}
