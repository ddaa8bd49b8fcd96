using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Api.Tests.Support;

/// <summary>A local OTLP/HTTP trace receiver on a free loopback port: it accepts protobuf POSTs at <c>/v1/traces</c> and keeps their spans.</summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpSpan> _spans;

    private OtlpReceiver(WebApplication app, ConcurrentQueue<OtlpSpan> spans, string url)
    {
        _app = app;
        _spans = spans;
        Url = url;
    }

    /// <summary>The receiver's base URL (<c>http://127.0.0.1:port</c>).</summary>
    public string Url { get; }

    public IReadOnlyList<OtlpSpan> Spans => [.. _spans];

    public int Requests { get; private set; }

    public static async Task<OtlpReceiver> StartAsync()
    {
        var spans = new ConcurrentQueue<OtlpSpan>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        OtlpReceiver? receiver = null;
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            if (request.ContentType != "application/x-protobuf")
            {
                return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
            }

            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            foreach (var span in OtlpTraceDecoder.Decode(body.ToArray()))
            {
                spans.Enqueue(span);
            }

            receiver!.Requests++;
            return Results.Ok();
        });
        await app.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new OtlpReceiver(app, spans, url);
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
