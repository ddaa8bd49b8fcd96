namespace MeshFlow.Dashboard.ApiClient;

/// <summary>What the API said of a key offered at sign-in: who it is, or why it cannot sign in.</summary>
public sealed record KeyCheck(SignedInIdentity? Identity, string? Problem)
{
    public bool Accepted => Identity is not null;
}
