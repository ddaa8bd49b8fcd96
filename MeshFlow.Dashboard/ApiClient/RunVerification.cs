namespace MeshFlow.Dashboard.ApiClient;

/// <summary><c>GET /traces/{id}/verify</c>: the chain checks out, or the first bad record and why.</summary>
public sealed record RunVerification(bool Valid, int Records, long? FirstBadSeq, string? Reason)
{
    /// <summary>The records whose payloads were lawfully erased; their hashes still verify.</summary>
    public IReadOnlyList<long> Redacted { get; init; } = [];

    /// <summary>The API's explanation for people, when the chain is not valid.</summary>
    public string? Detail { get; init; }
}
