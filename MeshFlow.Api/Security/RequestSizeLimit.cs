using Microsoft.AspNetCore.Http.Features;

namespace MeshFlow.Api.Security;

/// <summary>
/// Limits request bodies to <c>MESHFLOW_MAX_REQUEST_BYTES</c>: a Content-Length over the limit is answered 413 before
/// the body is read; a body without one is counted as it is read and ends in 413 when it grows past the limit.
/// </summary>
internal sealed class RequestSizeLimit(long limit)
{
    private const string Title = "The request body is too large";

    private readonly string _detail = $"The request body is larger than the limit of {limit} bytes ({ApiSecurityConfiguration.MaxRequestBytes}).";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.ContentLength > limit)
        {
            await SecurityProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, Title, _detail);
            return;
        }

        // Kestrel enforces this one itself (its default is 30 MB); the counting stream covers servers that do not.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
        {
            serverLimit.MaxRequestBodySize = limit;
        }

        if (request.ContentLength == 0)
        {
            await next(context);
            return;
        }

        var body = request.Body;
        var limited = new LimitedRequestStream(body, limit, _detail);
        request.Body = limited;
        try
        {
            await next(context);
        }
        finally
        {
            request.Body = body;
        }

        // A reader that caught the exception (minimal API parameter binding does) has set a bare status at most.
        if (limited.LimitExceeded && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await SecurityProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, Title, _detail);
        }
    }
}
