using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MeshFlow.Testing.Providers;

/// <summary>Reads a fake server's request body, and keeps the request as it arrived when the server captures.</summary>
internal static class WireRequest
{
    public static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var body = new MemoryStream(context.Request.ContentLength is { } length and < int.MaxValue ? (int)length : 1024);
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        return body.ToArray();
    }

    public static CapturedRequest Capture(HttpContext context, byte[] body)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Request.Headers)
        {
            headers[name] = string.Join(", ", values.ToArray());
        }

        return new CapturedRequest(context.Request.Method, RawTarget(context), headers, Encoding.UTF8.GetString(body));
    }

    /// <summary>The request target as sent, percent-encoding kept (the routed path is decoded).</summary>
    public static string RawTarget(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
}
