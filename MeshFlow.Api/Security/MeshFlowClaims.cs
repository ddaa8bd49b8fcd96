using System.Security.Claims;

namespace MeshFlow.Api.Security;

/// <summary>
/// What an authenticated request knows about its API key: the tenant it acts for, its role and the key's id.
/// </summary>
/// <remarks>
/// Every endpoint except <c>/health</c>, <c>/alive</c> and the OpenAPI document requires a key, so inside a handler
/// these never fail; on a principal without the claims (an anonymous endpoint) they throw.
/// </remarks>
public static class MeshFlowClaims
{
    /// <summary>The authorization policy that admits only <see cref="AdminRole"/> keys.</summary>
    public const string AdminPolicy = "MeshFlowAdmin";

    /// <summary>The authorization policy that admits keys that may decide approvals: <see cref="ReviewerRole"/> and <see cref="AdminRole"/>.</summary>
    public const string ReviewerPolicy = "MeshFlowReviewer";

    public const string UserRole = "user";

    /// <summary>A user who may also approve or reject paused runs (between <see cref="UserRole"/> and <see cref="AdminRole"/>).</summary>
    public const string ReviewerRole = "reviewer";

    public const string AdminRole = "admin";

    public const string TenantIdClaimType = "meshflow:tenant_id";

    public const string KeyIdClaimType = "meshflow:key_id";

    /// <summary>The role claim is the standard one, so <c>IsInRole</c> and <c>RequireRole</c> work.</summary>
    public const string RoleClaimType = ClaimTypes.Role;

    /// <summary>The tenant the request's key is bound to.</summary>
    public static string GetTenantId(this ClaimsPrincipal user) => Required(user, TenantIdClaimType);

    /// <summary><see cref="UserRole"/>, <see cref="ReviewerRole"/> or <see cref="AdminRole"/>.</summary>
    public static string GetRole(this ClaimsPrincipal user) => Required(user, RoleClaimType);

    /// <summary>The key's short non-secret id (see <see cref="StoredApiKey.KeyId"/>), for logs and audit records.</summary>
    public static string GetKeyId(this ClaimsPrincipal user) => Required(user, KeyIdClaimType);

    internal static ClaimsPrincipal CreatePrincipal(StoredApiKey key, string authenticationType) =>
        new(new ClaimsIdentity(
            [
                new Claim(KeyIdClaimType, key.KeyId),
                new Claim(TenantIdClaimType, key.TenantId),
                new Claim(RoleClaimType, key.Role),
            ],
            authenticationType,
            nameType: KeyIdClaimType,
            roleType: RoleClaimType));

    private static string Required(ClaimsPrincipal user, string claimType)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirst(claimType)?.Value
            ?? throw new InvalidOperationException(
                $"The request is not authenticated with a MeshFlow API key (it has no '{claimType}' claim); the endpoint must not allow anonymous access.");
    }
}
