using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshFlow.AppHost.Tests.Support;

/// <summary>
/// A webhook endpoint for one test: Kestrel on a free loopback port, recording every request to its <see cref="Url"/>.
/// It answers <see cref="AnswerWith"/> (200 unless told otherwise), and can be stopped and started again on the same
/// port, so a test can play a receiver that fails or is down and then recovers.
/// </summary>
/// <remarks>
/// The path is the receiver's own: a port freed by an earlier test's receiver may be handed out again, and the
/// notifications still due to that one (retried for hours) must not count as this one's.
/// </remarks>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ReceivedWebhook> _received = [];
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private readonly string _path = "/hooks/" + Guid.NewGuid().ToString("N");
    private int _answer = StatusCodes.Status200OK;

    private WebhookReceiver()
    {
    }

    /// <summary>The port, kept across <see cref="StopAsync"/> and <see cref="StartAgainAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>Where to send webhooks.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}{_path}");

    /// <summary>The status every request is answered with from now on.</summary>
    public int AnswerWith
    {
        get => Volatile.Read(ref _answer);
        set => Volatile.Write(ref _answer, value);
    }

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var receiver = new WebhookReceiver();
        await receiver.ListenAsync(port: 0, cancellationToken).ConfigureAwait(false);
        return receiver;
    }

    /// <summary>Stops listening: connections are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync().WaitAsync(TestTimeouts.Default).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Listens again on the same port.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken) =>
        _app is null ? ListenAsync(Port, cancellationToken) : Task.CompletedTask;

    /// <summary>The first request (received so far or later) that <paramref name="match"/> accepts.</summary>
    /// <exception cref="TimeoutException">None arrived within <paramref name="timeout"/>; the message lists what did.</exception>
    public async Task<ReceivedWebhook> WaitForAsync(Func<ReceivedWebhook, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                if (_received.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                arrived = _arrived.Task;
            }

            try
            {
                await arrived.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"No matching webhook reached {Url} within {timeout.TotalSeconds:0} s; received:\n{string.Join("\n", Received)}");
            }
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task ListenAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost(_path, ReceiveAsync);
        await app.StartAsync(cancellationToken).WaitAsync(TestTimeouts.Default, cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Port = new Uri(address).Port;
        _app = app;
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        var answer = AnswerWith;
        var headers = context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            _received.Add(new ReceivedWebhook(headers, body.ToArray(), answer));
            var arrived = _arrived;
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            arrived.TrySetResult();
        }

        context.Response.StatusCode = answer;
    }
}
