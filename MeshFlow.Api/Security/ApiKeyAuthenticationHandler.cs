using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MeshFlow.Api.Security;

/// <summary>
/// Authenticates a request by the API key in <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-API-Key: &lt;key&gt;</c>.
/// Refusals are ProblemDetails: 401 with <c>WWW-Authenticate: Bearer</c> saying what was wrong, 403 for a key whose
/// role is not enough. No message or log line ever contains the presented key.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    public const string ApiKeyHeaderName = "X-API-Key";

    private const string BearerPrefix = "Bearer ";

    private const string MissingKey =
        $"The request has no API key. Send it as 'Authorization: Bearer <key>' or '{ApiKeyHeaderName}: <key>'.";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (presented, problem) = ReadPresentedKey(Request.Headers);
        if (problem is not null)
        {
            return Task.FromResult(AuthenticateResult.Fail(problem));
        }

        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(keys.Find(presented) is { } key
            ? AuthenticateResult.Success(new AuthenticationTicket(MeshFlowClaims.CreatePrincipal(key, SchemeName), SchemeName))
            : AuthenticateResult.Fail("The API key is not recognised."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer";
        await SecurityProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            "Authentication is required", result.Failure?.Message ?? MissingKey);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        SecurityProblems.WriteAsync(Context, StatusCodes.Status403Forbidden,
            "Forbidden", $"This API key (role '{Context.User.FindFirst(MeshFlowClaims.RoleClaimType)?.Value}') may not make this request.");

    private static (string? Key, string? Problem) ReadPresentedKey(IHeaderDictionary headers)
    {
        string? fromAuthorization = null;
        var authorization = headers[HeaderNames.Authorization];
        if (authorization.Count > 1)
        {
            return (null, "The request has more than one Authorization header; send one.");
        }

        if (authorization.Count == 1)
        {
            var value = authorization[0] ?? "";
            var token = value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? value[BearerPrefix.Length..].Trim() : "";
            if (token.Length == 0 || token.Any(char.IsWhiteSpace))
            {
                return (null, "The Authorization header is malformed: it must be 'Bearer <key>'.");
            }

            fromAuthorization = token;
        }

        var apiKey = headers[ApiKeyHeaderName];
        if (apiKey.Count > 1)
        {
            return (null, $"The request has more than one {ApiKeyHeaderName} header; send one.");
        }

        var fromHeader = apiKey.Count == 1 ? apiKey[0]?.Trim() : null;
        if (fromHeader is { Length: 0 })
        {
            return (null, $"The {ApiKeyHeaderName} header is empty.");
        }

        if (fromAuthorization is not null && fromHeader is not null && fromAuthorization != fromHeader)
        {
            return (null, $"The Authorization and {ApiKeyHeaderName} headers carry different keys; send one.");
        }

        return (fromAuthorization ?? fromHeader, null);
    }
}
