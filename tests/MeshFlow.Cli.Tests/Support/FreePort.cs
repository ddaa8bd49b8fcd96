using System.Net;
using System.Net.Sockets;

namespace MeshFlow.Cli.Tests.Support;

/// <summary>A local port nothing listens on (taken from the system, then released).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
