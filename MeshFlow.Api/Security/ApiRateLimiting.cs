using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Net.Http.Headers;

namespace MeshFlow.Api.Security;

/// <summary>
/// A fixed window of <c>MESHFLOW_RATE_LIMIT</c> requests per <c>MESHFLOW_RATE_LIMIT_WINDOW_SECONDS</c> for each API
/// key (by key id), and for each client address when a request carries no valid key. Probes are never limited.
/// </summary>
internal static class ApiRateLimiting
{
    public static void Configure(RateLimiterOptions options, ApiSecurityOptions security)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        if (security.RateLimit == 0)
        {
            return;
        }

        var window = new FixedWindowRateLimiterOptions
        {
            PermitLimit = security.RateLimit,
            Window = security.RateLimitWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            OpenEndpoints.IsProbe(context.Request.Path)
                ? RateLimitPartition.GetNoLimiter("probes")
                : RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context), _ => window));
        options.OnRejected = (rejected, _) => new ValueTask(RejectAsync(rejected, security));
    }

    private static string PartitionKey(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true
            ? "key:" + context.User.GetKeyId()
            : "address:" + context.Connection.RemoteIpAddress;

    private static Task RejectAsync(OnRejectedContext rejected, ApiSecurityOptions security)
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : security.RateLimitWindow;
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        var context = rejected.HttpContext;
        context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        var who = context.User.Identity?.IsAuthenticated == true ? "This API key" : "This client";
        return SecurityProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests",
            $"{who} made more than {security.RateLimit} requests in {security.RateLimitWindow.TotalSeconds} seconds; retry after {seconds} seconds.");
    }
}
