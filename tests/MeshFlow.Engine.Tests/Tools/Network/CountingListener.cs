using System.Net;
using System.Net.Sockets;

namespace MeshFlow.Tests.Tools.Network;

/// <summary>
/// A bare TCP listener on 127.0.0.1 (and on ::1 at the same port, when this machine has IPv6 loopback) that counts
/// every connection it accepts and answers <c>200 ok</c> in plain text: the witness that no request of the SSRF corpus
/// reached this machine (and, with private addresses allowed, that the same URLs do).
/// </summary>
internal sealed class CountingListener : IDisposable
{
    private readonly TcpListener _v4;
    private readonly TcpListener? _v6;
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    public CountingListener()
    {
        _v4 = new TcpListener(IPAddress.Loopback, 0);
        _v4.Start();
        Port = ((IPEndPoint)_v4.LocalEndpoint).Port;
        try
        {
            _v6 = new TcpListener(IPAddress.IPv6Loopback, Port);
            _v6.Start();
        }
        catch (SocketException)
        {
            _v6 = null;
        }

        _ = AcceptAsync(_v4);
        if (_v6 is not null)
        {
            _ = AcceptAsync(_v6);
        }
    }

    public int Port { get; }

    public bool HasIPv6 => _v6 is not null;

    public int Connections => Volatile.Read(ref _connections);

    public void Dispose()
    {
        _stop.Cancel();
        _v4.Stop();
        _v6?.Stop();
        _stop.Dispose();
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                var stream = client.GetStream();
                var buffer = new byte[8192];
                var seen = string.Empty;
                while (!seen.Contains("\r\n\r\n", StringComparison.Ordinal) && seen.Length < 65536)
                {
                    var read = await stream.ReadAsync(buffer, timeout.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    seen += System.Text.Encoding.ASCII.GetString(buffer, 0, read);
                }

                await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray(), timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // The client went away.
            }
        }
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                _ = AnswerAsync(client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }
}
