using System.Security.Claims;
using MeshFlow.Dashboard.ApiClient;
using Microsoft.AspNetCore.Components.Authorization;

namespace MeshFlow.Dashboard.Session;

/// <summary>
/// The signed-in user of the current page (one per circuit, or per request when rendered statically): the key every
/// API call made for the page carries, and the tenant and role to show.
/// </summary>
public sealed class DashboardSession(AuthenticationStateProvider authentication) : IApiKeySource
{
    public async ValueTask<string?> GetApiKeyAsync() => (await GetUserAsync().ConfigureAwait(false)).FindFirst(DashboardClaims.ApiKey)?.Value;

    /// <summary>The tenant the key belongs to; null when the API did not say.</summary>
    public async ValueTask<string?> GetTenantAsync() => (await GetUserAsync().ConfigureAwait(false)).FindFirst(DashboardClaims.Tenant)?.Value;

    /// <summary>The key's role (user, reviewer, admin); null when the API did not say.</summary>
    public async ValueTask<string?> GetRoleAsync() => (await GetUserAsync().ConfigureAwait(false)).FindFirst(DashboardClaims.Role)?.Value;

    private async Task<ClaimsPrincipal> GetUserAsync() => (await authentication.GetAuthenticationStateAsync().ConfigureAwait(false)).User;
}
