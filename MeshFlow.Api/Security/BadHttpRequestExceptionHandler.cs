using Microsoft.AspNetCore.Diagnostics;

namespace MeshFlow.Api.Security;

/// <summary>
/// Answers a <see cref="BadHttpRequestException"/> (a body over the size limit, a malformed or too slow request) with
/// its own status code as ProblemDetails, instead of the 500 an unhandled exception gets.
/// </summary>
public sealed class BadHttpRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(exception);
        if ((exception as BadHttpRequestException ?? exception.InnerException as BadHttpRequestException) is not { } badRequest)
        {
            return false;
        }

        var title = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large" : "The request is invalid";
        await SecurityProblems.WriteAsync(httpContext, badRequest.StatusCode, title, badRequest.Message);
        return true;
    }
}
