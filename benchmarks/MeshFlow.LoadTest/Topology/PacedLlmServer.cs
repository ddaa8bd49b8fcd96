using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshFlow.LoadTest.Topology;

/// <summary>
/// An OpenAI-compatible chat-completions server on loopback that streams its reply slowly: the model name says how,
/// <c>&lt;name&gt;-&lt;delay&gt;ms-&lt;chunks&gt;</c> (<c>hold-1000ms-600</c>: 600 chunks, one a second). It speaks the wire
/// format of tests/MeshFlow.Engine.Tests/Support/FakeOpenAiServer.cs (<c>chat.completion.chunk</c> SSE events, a
/// finish reason, usage when asked, <c>data: [DONE]</c>), with the pace chosen per request rather than per server.
/// </summary>
internal sealed class PacedLlmServer : IAsyncDisposable
{
    public const string Key = "load-llm-key";

    private readonly WebApplication _app;

    private PacedLlmServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The base address an OpenAI client is given (ends in <c>/v1</c>).</summary>
    public Uri Endpoint { get; }

    /// <summary>The model name that streams <paramref name="chunks"/> chunks, <paramref name="delay"/> apart.</summary>
    public static string Model(string name, TimeSpan delay, int chunks) =>
        string.Create(CultureInfo.InvariantCulture, $"{name}-{(int)delay.TotalMilliseconds}ms-{chunks}");

    public static async Task<PacedLlmServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PacedLlmServer(app, new Uri(address + "/v1"));
    }

    private static async Task HandleAsync(HttpContext context)
    {
        string model;
        bool includeUsage;
        using (var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted))
        {
            model = body.RootElement.GetProperty("model").GetString() ?? "unnamed";
            includeUsage = body.RootElement.TryGetProperty("stream_options", out var stream)
                && stream.TryGetProperty("include_usage", out var usage) && usage.ValueKind == JsonValueKind.True;
        }

        if (context.Request.Headers.Authorization.ToString() != $"Bearer {Key}")
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync("""{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","code":"invalid_api_key"}}""");
            return;
        }

        var (delay, chunks) = Pace(model);
        context.Response.ContentType = "text/event-stream";
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var head = $$"""{"id":"chatcmpl-meshflow-load","object":"chat.completion.chunk","created":{{created}},"model":"{{model}}","system_fingerprint":"fp_load","choices":""";
        var cancellation = context.RequestAborted;
        try
        {
            await SendAsync(context, head + """[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""", cancellation);
            for (var i = 1; i <= chunks; i++)
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, cancellation);
                }

                await SendAsync(context, head + $$"""[{"index":0,"delta":{"content":"t{{i}} "},"logprobs":null,"finish_reason":null}]}""", cancellation);
            }

            await SendAsync(context, head + """[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}""", cancellation);
            if (includeUsage)
            {
                await SendAsync(context, head + $$$"""[],"usage":{"prompt_tokens":42,"completion_tokens":{{{chunks}}},"total_tokens":{{{42 + chunks}}}}}""", cancellation);
            }

            await context.Response.Body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The worker cancelled the step (its run was cancelled) or went away.
        }
    }

    private static async Task SendAsync(HttpContext context, string json, CancellationToken cancellationToken)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("data: " + json + "\n\n"), cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    private static (TimeSpan Delay, int Chunks) Pace(string model)
    {
        var parts = model.Split('-');
        return parts.Length >= 3
            && parts[^2].EndsWith("ms", StringComparison.Ordinal)
            && int.TryParse(parts[^2].AsSpan(0, parts[^2].Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var chunks)
            ? (TimeSpan.FromMilliseconds(ms), chunks)
            : (TimeSpan.Zero, 30);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
