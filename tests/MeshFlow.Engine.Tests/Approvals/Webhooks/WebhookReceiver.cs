using System.Collections.Concurrent;
using MeshFlow.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Tests.Approvals.Webhooks;

/// <summary>A webhook receiver on loopback (Kestrel) that records every request before answering as told.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly SemaphoreSlim _arrivals = new(0);

    private WebhookReceiver(WebApplication app, Func<HttpContext, Task> respond)
    {
        _app = app;
        Respond = respond;
    }

    /// <summary>How the receiver answers; may be changed while it runs (a receiver that comes back up).</summary>
    public Func<HttpContext, Task> Respond { get; set; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The URL of a hook on this receiver, with a path that holds a token (as chat webhooks do).</summary>
    public string Url => new Uri(BaseAddress, "/hooks/T0KEN-in-path").ToString();

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync(Func<HttpContext, Task>? respond = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, respond ?? Answer(StatusCodes.Status200OK));
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    public static Func<HttpContext, Task> Answer(int status, params (string Name, string Value)[] headers) => context =>
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        return Task.CompletedTask;
    };

    /// <summary>Never answers: waits until the client gives up or the receiver stops.</summary>
    public static async Task Hang(HttpContext context)
    {
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived.</summary>
    public async Task WaitForRequestsAsync(int count)
    {
        while (_received.Count < count)
        {
            if (!await _arrivals.WaitAsync(TestTimeouts.Default))
            {
                throw new TimeoutException($"the receiver got {_received.Count} of {count} requests");
            }
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _received.Enqueue(new ReceivedWebhook(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body));
        _arrivals.Release();
        await Respond(context);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrivals.Dispose();
    }
}
