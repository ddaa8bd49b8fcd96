using System.Security.Claims;
using MeshFlow.Dashboard.ApiClient;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace MeshFlow.Dashboard.Session;

/// <summary>Signs a browser in with an API key the API accepts, and out again.</summary>
public sealed class DashboardSignIn(MeshFlowApiClient api)
{
    /// <summary>The cookie that remembers an explicit sign-out, so the AppHost's automatic sign-in does not undo it.</summary>
    public const string SignedOutCookie = "meshflow-dashboard-signed-out";

    /// <summary>
    /// Checks <paramref name="apiKey"/> with the API and, when it is accepted, issues the authentication cookie.
    /// Answers null on success, else the message to show (never containing the key).
    /// </summary>
    public async Task<string?> SignInAsync(HttpContext context, string? apiKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            return "Enter an API key.";
        }

        KeyCheck check;
        try
        {
            check = await api.CheckKeyAsync(apiKey, cancellationToken).ConfigureAwait(false);
        }
        catch (MeshFlowApiException exception)
        {
            return exception.Message;
        }

        if (check.Identity is not { } identity)
        {
            return check.Problem;
        }

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, PrincipalOf(apiKey.Trim(), identity)).ConfigureAwait(false);
        context.Response.Cookies.Delete(SignedOutCookie);
        return null;
    }

    /// <summary>Removes the authentication cookie and remembers the sign-out.</summary>
    public static async Task SignOutAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
        context.Response.Cookies.Append(SignedOutCookie, "1", new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
    }

    /// <summary>The principal the cookie holds: the key as a claim, with the tenant and role the API told.</summary>
    public static ClaimsPrincipal PrincipalOf(string apiKey, SignedInIdentity identity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        ArgumentNullException.ThrowIfNull(identity);
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, identity.Tenant ?? "API key"),
            new(DashboardClaims.ApiKey, apiKey),
        };
        if (identity.Tenant is { } tenant)
        {
            claims.Add(new Claim(DashboardClaims.Tenant, tenant));
        }

        if (identity.Role is { } role)
        {
            claims.Add(new Claim(DashboardClaims.Role, role));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }
}
