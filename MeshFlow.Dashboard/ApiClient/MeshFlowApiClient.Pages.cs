using System.Text.Json;

namespace MeshFlow.Dashboard.ApiClient;

// The calls of the approvals, workflows and overview pages, kept apart from the foundation's so branches merge.
public sealed partial class MeshFlowApiClient
{
    /// <summary><c>GET /me</c>: the signed-in key's tenant and role (reviewer and admin keys may decide approvals).</summary>
    public async Task<SignedInIdentity> GetCallerAsync(CancellationToken cancellationToken)
    {
        var body = await GetAsync<JsonElement>("/me", cancellationToken).ConfigureAwait(false);
        return new SignedInIdentity(StringOf(body, "tenant"), StringOf(body, "role"));
    }

    /// <summary>
    /// <c>POST /hitl/{run}/approve|reject?pause={seq}</c> with the reviewer's name and notes. Naming the pause means a
    /// decision taken on a stale list never lands on a later pause of the same run (the API answers 409 instead).
    /// </summary>
    public Task<ApprovalDecision> DecidePauseAsync(PauseDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var verb = decision.Approve ? "approve" : "reject";
        var path = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"/hitl/{Segment(decision.RunId)}/{verb}?pause={decision.PauseSeq}");
        return PostAsync<ApprovalDecision>(
            path,
            JsonContent.Create(new { reviewer_id = decision.ReviewerId.Trim(), notes = string.IsNullOrWhiteSpace(decision.Notes) ? null : decision.Notes.Trim() }),
            cancellationToken);
    }
}
