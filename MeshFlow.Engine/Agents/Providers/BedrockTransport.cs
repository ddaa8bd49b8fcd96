using System.IO.Compression;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// Sends the Anthropic SDK's Bedrock requests through the shared HTTP client and undoes a compressed answer below the
/// SDK's Bedrock handler. That handler asks for gzip on streams (as its own default client decompresses) and then
/// reads the AWS event stream from the answer's bytes, while the shared client does not decompress.
/// </summary>
internal sealed class BedrockTransport(HttpClient http) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(Copy(request), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var encoding = response.Content.Headers.ContentEncoding.LastOrDefault();
        if (encoding is null)
        {
            return response;
        }

        Func<Stream, Stream>? decompress = encoding.ToLowerInvariant() switch
        {
            "gzip" => static s => new GZipStream(s, CompressionMode.Decompress),
            "deflate" => static s => new ZLibStream(s, CompressionMode.Decompress),
            "br" => static s => new BrotliStream(s, CompressionMode.Decompress),
            _ => null,
        };
        if (decompress is null)
        {
            return response;
        }

        var compressed = response.Content;
        var content = new StreamContent(decompress(await compressed.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false)));
        foreach (var (name, values) in compressed.Headers)
        {
            if (!name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                content.Headers.TryAddWithoutValidation(name, values);
            }
        }

        response.Content = content;
        return response;
    }

    // The SDK's HTTP client has marked the request as sent; the shared client is handed an identical one.
    private static HttpRequestMessage Copy(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Content = request.Content, Version = request.Version, VersionPolicy = request.VersionPolicy,
        };
        foreach (var (name, values) in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(name, values);
        }

        foreach (var (key, value) in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[key] = value;
        }

        return copy;
    }
}
