namespace MeshFlow.Dashboard.ApiClient;

/// <summary>The answer to an approve or reject: what was decided, by whom and when.</summary>
public sealed record ApprovalDecision(string RunId, string Decision, string ReviewerId, DateTimeOffset DecidedAt, bool MetDeadline);
