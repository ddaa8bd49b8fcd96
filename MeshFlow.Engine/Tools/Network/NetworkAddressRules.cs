using System.Net;
using System.Net.Sockets;

namespace MeshFlow.Tools.Network;

/// <summary>
/// Which addresses MeshFlow connects to on a caller's behalf (the network tools, the approval webhooks): never this
/// host, its private networks or a cloud's metadata service, unless <see cref="AllowPrivate"/> or the endpoint is one
/// of <see cref="AllowedPrivateEndpoints"/>.
/// </summary>
/// <remarks>
/// <para>Refused: loopback, unspecified, private (10/8, 172.16/12, 192.168/16, fc00::/7), shared CGNAT space
/// (100.64/10), link-local (169.254/16, fe80::/10), site-local, multicast, broadcast and reserved ranges, the cloud
/// metadata addresses (169.254.169.254, fd00:ec2::254, 100.100.100.200), and every IPv6 form that embeds one of those
/// IPv4 addresses (mapped, compatible, translated, NAT64, 6to4, Teredo).</para>
/// <para>The rule is enforced where it cannot be dodged: <see cref="ConnectAsync"/> is the client's
/// <see cref="SocketsHttpHandler.ConnectCallback"/>, so it judges the address actually connected to, after DNS, on every
/// connection and every redirect; alternative spellings of an address (<c>2130706433</c>, <c>0x7f.1</c>) are parsed by
/// the URL parser into the address they mean, and a name that resolves to a public address when a URL is checked and to
/// a private one when it is used is still refused.</para>
/// </remarks>
public sealed class NetworkAddressRules
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    /// <summary>Creates the rules.</summary>
    /// <param name="allowPrivate">Allow every address, private ones included.</param>
    /// <param name="resolve">Resolves a host name to its addresses; DNS when null.</param>
    /// <param name="allowedPrivateEndpoints">Endpoints allowed although their address is refused (an operator's internal service).</param>
    public NetworkAddressRules(
        bool allowPrivate = false,
        Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null,
        IEnumerable<IPEndPoint>? allowedPrivateEndpoints = null)
    {
        AllowPrivate = allowPrivate;
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
        AllowedPrivateEndpoints = [.. allowedPrivateEndpoints ?? []];
    }

    /// <summary>Whether every address is allowed.</summary>
    public bool AllowPrivate { get; }

    /// <summary>Endpoints (address and port) allowed although their address is refused.</summary>
    public IReadOnlyList<IPEndPoint> AllowedPrivateEndpoints { get; }

    /// <summary>Why <paramref name="address"/> is refused regardless of the settings (<c>loopback</c>, <c>private</c>, <c>cloud metadata</c>…), or null for a public address.</summary>
    public static string? ReasonToRefuse(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return AddressClassifier.ReasonToRefuse(address);
    }

    /// <summary>Whether <paramref name="address"/> may be connected to on any port under these rules.</summary>
    public bool IsAllowed(IPAddress address) => AllowPrivate || ReasonToRefuse(address) is null;

    /// <summary>Whether <paramref name="endpoint"/> may be connected to under these rules.</summary>
    public bool IsAllowed(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return IsAllowed(endpoint.Address) || AllowedPrivateEndpoints.Contains(endpoint);
    }

    /// <summary>The addresses <paramref name="host"/> stands for: the literal itself, or what it resolves to.</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);

        // An IPv6 literal may arrive in URL brackets; a literal is judged as it is, without a lookup.
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(literal, out var address))
        {
            return [address];
        }

        // A fully qualified name's final dot (localhost.) names the same host; resolved without it, so it is judged as that host.
        var name = host.Length > 1 && host.EndsWith('.') ? host.TrimEnd('.') : host;
        return await _resolve(name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each of <paramref name="addresses"/> these rules refuse on <paramref name="port"/>, with why.</summary>
    public IReadOnlyList<string> Refusals(IEnumerable<IPAddress> addresses, int port) =>
        [.. addresses.Where(address => !IsAllowed(new IPEndPoint(address, port))).Select(address => $"{address} ({ReasonToRefuse(address)})")];

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host, drops refused addresses and connects to
    /// the first allowed one that answers.
    /// </summary>
    /// <exception cref="AddressRefusedException">Every address the host resolves to is refused.</exception>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        var addresses = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        var allowed = addresses.Select(address => new IPEndPoint(address, port)).Where(IsAllowed).ToArray();
        if (allowed.Length == 0)
        {
            throw new AddressRefusedException(host, addresses.Length == 0 ? ["(no address)"] : Refusals(addresses, port));
        }

        Exception? last = null;
        foreach (var endpoint in allowed)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
