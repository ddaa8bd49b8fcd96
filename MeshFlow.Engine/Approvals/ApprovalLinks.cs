namespace MeshFlow.Approvals;

/// <summary>Where a reviewer approves or rejects a paused run: the API's <c>/hitl/{run_id}/approve|reject</c>.</summary>
public static class ApprovalLinks
{
    /// <summary>The approve link, under <paramref name="publicUrl"/> or relative to the API's root when it is null.</summary>
    public static string Approve(string? publicUrl, string runId) => Link(publicUrl, runId, "approve");

    /// <summary>The reject link, under <paramref name="publicUrl"/> or relative to the API's root when it is null.</summary>
    public static string Reject(string? publicUrl, string runId) => Link(publicUrl, runId, "reject");

    private static string Link(string? publicUrl, string runId, string action) =>
        $"{publicUrl?.TrimEnd('/')}/hitl/{Uri.EscapeDataString(runId)}/{action}";
}
