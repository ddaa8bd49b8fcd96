using System.Net;
using System.Net.Sockets;

namespace MeshFlow.Cli.Tests.Support;

/// <summary>
/// A model endpoint that accepts requests and never answers: a step calling it is under way for as long as the test
/// needs (to press Ctrl+C during it). Point an OpenAI connection at <see cref="Endpoint"/>.
/// </summary>
internal sealed class SilentModelServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _held = [];
    private readonly Task _accepting;

    public SilentModelServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1";

    /// <summary>The default LLM connection of a process, as an environment variable.</summary>
    public KeyValuePair<string, string?> Connection => new("ConnectionStrings__llm", $"Provider=openai;Endpoint={Endpoint};Key=sk-test-silent;Model=gpt-4o-mini");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        lock (_held)
        {
            foreach (var client in _held)
            {
                client.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            lock (_held)
            {
                _held.Add(client);
            }
        }
    }
}
