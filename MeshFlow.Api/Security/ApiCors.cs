using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace MeshFlow.Api.Security;

/// <summary>
/// The default CORS policy, from <c>MESHFLOW_CORS_ORIGINS</c>: GET and POST from the listed origins with the headers a
/// browser client needs. With no origins configured there is no policy, so no response carries CORS headers.
/// </summary>
internal static class ApiCors
{
    public const string LastEventIdHeaderName = "Last-Event-ID";

    public const string IdempotencyKeyHeaderName = "Idempotency-Key";

    public static void Configure(CorsOptions options, ApiSecurityOptions security)
    {
        if (security.CorsOrigins.Count == 0)
        {
            return;
        }

        options.AddDefaultPolicy(policy =>
        {
            if (security.CorsOrigins is ["*"])
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins([.. security.CorsOrigins]);
            }

            policy.WithMethods(HttpMethods.Get, HttpMethods.Post)
                .WithHeaders(HeaderNames.Authorization, ApiKeyAuthenticationHandler.ApiKeyHeaderName, HeaderNames.ContentType,
                    LastEventIdHeaderName, IdempotencyKeyHeaderName)
                .WithExposedHeaders(HeaderNames.RetryAfter, HeaderNames.Location);
        });
    }
}
