namespace MeshFlow.Dashboard.ApiClient;

/// <summary><c>GET /traces/{id}/verify</c>: the chain checks out, or the first bad record and why.</summary>
public sealed record RunVerification(bool Valid, int Records, long? FirstBadSeq, string? Reason);
