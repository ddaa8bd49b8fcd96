namespace MeshFlow.Api.Security;

/// <summary>Writes the security layer's refusals (401, 403, 413, 429) as ProblemDetails, like every other error.</summary>
internal static class SecurityProblems
{
    public static Task WriteAsync(HttpContext context, int statusCode, string title, string detail) =>
        // ProblemHttpResult goes through IProblemDetailsService when registered, and writes problem+json regardless.
        TypedResults.Problem(detail: detail, statusCode: statusCode, title: title).ExecuteAsync(context);
}
