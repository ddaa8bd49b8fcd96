namespace MeshFlow.Api.Security;

/// <summary>The answer to <c>GET /me</c>: who the calling key acts for; never the key nor its hash.</summary>
/// <param name="Tenant">The tenant the key is bound to.</param>
/// <param name="Role"><c>user</c>, <c>reviewer</c> or <c>admin</c>; reviewers and admins may approve paused runs.</param>
public sealed record CallerView(string Tenant, string Role);
