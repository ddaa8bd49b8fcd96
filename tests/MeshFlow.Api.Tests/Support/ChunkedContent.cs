using System.Net;
using System.Net.Http.Headers;

namespace MeshFlow.Api.Tests.Support;

/// <summary>A body sent without a Content-Length (chunked), so only counting what is read can catch its size.</summary>
internal sealed class ChunkedContent : HttpContent
{
    private readonly byte[] _body;

    public ChunkedContent(byte[] body, string mediaType)
    {
        _body = body;
        Headers.ContentType = new MediaTypeHeaderValue(mediaType);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < _body.Length; offset += 256)
        {
            await stream.WriteAsync(_body.AsMemory(offset, Math.Min(256, _body.Length - offset)));
            await stream.FlushAsync();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
