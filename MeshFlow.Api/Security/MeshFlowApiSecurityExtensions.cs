using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MeshFlow.Api.Security;

/// <summary>
/// API keys bound to tenants and roles, per-key rate limits, CORS and request size limits for the MeshFlow API.
/// Settings come from configuration (see <see cref="ApiSecurityConfiguration"/>) and are read when the app starts.
/// </summary>
public static class MeshFlowApiSecurityExtensions
{
    /// <summary>
    /// Registers authentication (scheme <see cref="ApiKeyAuthenticationHandler.SchemeName"/>), authorization (every
    /// endpoint needs a key unless it is open; <see cref="MeshFlowClaims.AdminPolicy"/>), rate limiting, CORS and the
    /// handler that answers <see cref="BadHttpRequestException"/> with its own status.
    /// </summary>
    public static WebApplicationBuilder AddMeshFlowApiSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddProblemDetails();
        services.AddExceptionHandler<BadHttpRequestExceptionHandler>();

        services.TryAddSingleton(provider => ApiSecurityOptions.Read(provider.GetRequiredService<IConfiguration>()));
        services.TryAddSingleton(_ => new ApiKeyBanner(Console.Out));
        services.TryAddSingleton(provider => ApiKeySources.Load(
            provider.GetRequiredService<IConfiguration>(),
            provider.GetRequiredService<ApiSecurityOptions>(),
            provider.GetRequiredService<ApiKeyBanner>(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiKeyStore).FullName!)));

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);

        var authenticated = new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build();
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(authenticated)
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAssertion(context =>
                    context.User.Identity?.IsAuthenticated == true
                    || (context.Resource is HttpContext http && OpenEndpoints.IsOpen(http.Request)))
                .Build())
            .AddPolicy(MeshFlowClaims.AdminPolicy, policy => policy
                .Combine(authenticated)
                .RequireRole(MeshFlowClaims.AdminRole))
            .AddPolicy(MeshFlowClaims.ReviewerPolicy, policy => policy
                .Combine(authenticated)
                .RequireRole(MeshFlowClaims.ReviewerRole, MeshFlowClaims.AdminRole));

        services.AddRateLimiter(static _ => { });
        services.AddOptions<RateLimiterOptions>().Configure<ApiSecurityOptions>(ApiRateLimiting.Configure);

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<ApiSecurityOptions>(ApiCors.Configure);

        return builder;
    }

    /// <summary>
    /// Adds, in order: CORS, the request size limit, authentication, rate limiting and authorization. Call it after
    /// <c>UseExceptionHandler</c>/<c>UseStatusCodePages</c> and before mapping endpoints. It also loads the keys, so a
    /// bad entry stops start-up here and a generated key is printed before the first request.
    /// </summary>
    public static WebApplication UseMeshFlowApiSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var sizeLimit = new RequestSizeLimit(app.Services.GetRequiredService<ApiSecurityOptions>().MaxRequestBytes);
        _ = app.Services.GetRequiredService<ApiKeyStore>();

        // CORS first, so that preflights are answered and refusals below still carry CORS headers.
        app.UseCors();
        app.Use(sizeLimit.InvokeAsync);
        app.UseAuthentication();
        // Between authentication and authorization: partitions see the key id, and requests with a wrong or no key
        // are limited per client address before they are refused, which bounds key guessing.
        app.UseRateLimiter();
        app.UseAuthorization();

        return app;
    }
}
