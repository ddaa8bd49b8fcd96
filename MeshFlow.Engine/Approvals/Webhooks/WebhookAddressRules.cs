using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.Approvals.Webhooks;

/// <summary>
/// Which addresses webhooks may be sent to: never this host, its private networks or a cloud's metadata service,
/// unless <see cref="AllowPrivate"/> (for a receiver on the same machine or network, in development).
/// </summary>
/// <remarks>
/// <para>Refused: loopback, unspecified, private (10/8, 172.16/12, 192.168/16, fc00::/7), shared CGNAT space
/// (100.64/10), link-local (169.254/16, fe80::/10), site-local, multicast, broadcast and reserved ranges, the cloud
/// metadata addresses (169.254.169.254, fd00:ec2::254, 100.100.100.200), and every IPv6 form that embeds one of those
/// IPv4 addresses (mapped, compatible, translated, NAT64, 6to4, Teredo).</para>
/// <para>The rule is enforced where it cannot be dodged: <see cref="ConnectAsync"/> is the sender's connect callback,
/// so it judges the address actually connected to, after DNS, on every connection; a name that resolves to a public
/// address when the URL is checked and to a private one when the message is sent is still refused.
/// <see cref="CheckUrlAsync"/> is the early, friendlier check made when a URL is submitted.</para>
/// </remarks>
public sealed class WebhookAddressRules
{
    /// <summary>Configuration key that, set to <c>true</c>, allows every address (for local receivers in development).</summary>
    public const string AllowPrivateKey = "MESHFLOW_WEBHOOK_ALLOW_PRIVATE";

    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    /// <summary>Creates the rules.</summary>
    /// <param name="allowPrivate">Allow every address, private ones included.</param>
    /// <param name="resolve">Resolves a host name to its addresses; DNS when null.</param>
    public WebhookAddressRules(bool allowPrivate = false, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        AllowPrivate = allowPrivate;
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    /// <summary>Whether every address is allowed.</summary>
    public bool AllowPrivate { get; }

    /// <summary>The rules <see cref="AllowPrivateKey"/> asks for.</summary>
    public static WebhookAddressRules FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new WebhookAddressRules(bool.TryParse(configuration[AllowPrivateKey], out var allow) && allow);
    }

    /// <summary>Why <paramref name="address"/> is refused regardless of <see cref="AllowPrivate"/> (<c>loopback</c>, <c>private</c>, <c>cloud metadata</c>…), or null for a public address.</summary>
    public static string? ReasonToRefuse(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return AddressClassifier.ReasonToRefuse(address);
    }

    /// <summary>Whether a webhook may be sent to <paramref name="address"/> under these rules.</summary>
    public bool IsAllowed(IPAddress address) => AllowPrivate || ReasonToRefuse(address) is null;

    /// <summary>
    /// Checks a destination when it is submitted: an absolute <c>http</c> or <c>https</c> URL whose host resolves,
    /// and to no refused address.
    /// </summary>
    /// <returns>Null when the URL is acceptable; otherwise the problem, in words.</returns>
    public async Task<string?> CheckUrlAsync(string url, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "the webhook URL must be an absolute http or https URL";
        }

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(uri.IdnHost, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            return $"the webhook host '{uri.IdnHost}' does not resolve";
        }

        if (addresses.Length == 0)
        {
            return $"the webhook host '{uri.IdnHost}' does not resolve";
        }

        var refused = Refusals(addresses);
        return refused.Count == 0 ? null : $"the webhook host '{uri.IdnHost}' resolves to refused addresses: {string.Join(", ", refused)}";
    }

    /// <summary>
    /// The sender's <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host, drops refused addresses and
    /// connects to the first allowed one that answers.
    /// </summary>
    /// <exception cref="WebhookAddressRefusedException">Every address the host resolves to is refused.</exception>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        var allowed = addresses.Where(IsAllowed).ToArray();
        if (allowed.Length == 0)
        {
            throw new WebhookAddressRefusedException(host, addresses.Length == 0 ? ["(no address)"] : Refusals(addresses));
        }

        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
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

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        // An IPv6 literal may arrive in URL brackets; a literal is judged as it is, without a lookup.
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(literal, out var address) ? [address] : await _resolve(host, cancellationToken).ConfigureAwait(false);
    }

    private List<string> Refusals(IEnumerable<IPAddress> addresses) =>
        [.. addresses.Where(address => !IsAllowed(address)).Select(address => $"{address} ({ReasonToRefuse(address)})")];
}
