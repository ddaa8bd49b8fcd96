namespace MeshFlow.Approvals;

/// <summary>
/// Where a reviewer approves or rejects a paused run: the API's <c>/hitl/{run_id}/approve|reject?pause={pause_seq}</c>.
/// The pause is named, so a link acted on late (after that pause was decided and the run paused again) gets 409
/// instead of deciding a pause its reviewer never saw.
/// </summary>
public static class ApprovalLinks
{
    /// <summary>The approve link, under <paramref name="publicUrl"/> or relative to the API's root when it is null.</summary>
    public static string Approve(string? publicUrl, string runId, long pauseSeq) => Link(publicUrl, runId, "approve", pauseSeq);

    /// <summary>The reject link, under <paramref name="publicUrl"/> or relative to the API's root when it is null.</summary>
    public static string Reject(string? publicUrl, string runId, long pauseSeq) => Link(publicUrl, runId, "reject", pauseSeq);

    private static string Link(string? publicUrl, string runId, string action, long pauseSeq) =>
        pauseSeq > 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{publicUrl?.TrimEnd('/')}/hitl/{Uri.EscapeDataString(runId)}/{action}?pause={pauseSeq}")
            : $"{publicUrl?.TrimEnd('/')}/hitl/{Uri.EscapeDataString(runId)}/{action}";
}
