using System.Net;
using System.Net.Sockets;
using MeshFlow.Tools.Network;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.Approvals.Webhooks;

/// <summary>
/// Which addresses webhooks may be sent to: never this host, its private networks or a cloud's metadata service,
/// unless <see cref="AllowPrivate"/> (for a receiver on the same machine or network, in development).
/// </summary>
/// <remarks>
/// The address rules are the ones the network tools use (<see cref="NetworkAddressRules"/>, which lists what is
/// refused and why the check is made at connect time); webhooks keep their own setting, <see cref="AllowPrivateKey"/>.
/// <see cref="CheckUrlAsync"/> is the early, friendlier check made when a URL is submitted.
/// </remarks>
public sealed class WebhookAddressRules
{
    /// <summary>Configuration key that, set to <c>true</c>, allows every address (for local receivers in development).</summary>
    public const string AllowPrivateKey = "MESHFLOW_WEBHOOK_ALLOW_PRIVATE";

    private readonly NetworkAddressRules _rules;

    /// <summary>Creates the rules.</summary>
    /// <param name="allowPrivate">Allow every address, private ones included.</param>
    /// <param name="resolve">Resolves a host name to its addresses; DNS when null.</param>
    public WebhookAddressRules(bool allowPrivate = false, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        _rules = new NetworkAddressRules(allowPrivate, resolve);
    }

    /// <summary>Whether every address is allowed.</summary>
    public bool AllowPrivate => _rules.AllowPrivate;

    /// <summary>The rules <see cref="AllowPrivateKey"/> asks for.</summary>
    public static WebhookAddressRules FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new WebhookAddressRules(bool.TryParse(configuration[AllowPrivateKey], out var allow) && allow);
    }

    /// <summary>Why <paramref name="address"/> is refused regardless of <see cref="AllowPrivate"/> (<c>loopback</c>, <c>private</c>, <c>cloud metadata</c>…), or null for a public address.</summary>
    public static string? ReasonToRefuse(IPAddress address) => NetworkAddressRules.ReasonToRefuse(address);

    /// <summary>Whether a webhook may be sent to <paramref name="address"/> under these rules.</summary>
    public bool IsAllowed(IPAddress address) => _rules.IsAllowed(address);

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
            addresses = await _rules.ResolveAsync(uri.IdnHost, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            return $"the webhook host '{uri.IdnHost}' does not resolve";
        }

        if (addresses.Length == 0)
        {
            return $"the webhook host '{uri.IdnHost}' does not resolve";
        }

        var refused = _rules.Refusals(addresses, uri.Port);
        return refused.Count == 0 ? null : $"the webhook host '{uri.IdnHost}' resolves to refused addresses: {string.Join(", ", refused)}";
    }

    /// <summary>
    /// The sender's <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host, drops refused addresses and
    /// connects to the first allowed one that answers.
    /// </summary>
    /// <exception cref="WebhookAddressRefusedException">Every address the host resolves to is refused.</exception>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await _rules.ConnectAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (AddressRefusedException ex)
        {
            throw new WebhookAddressRefusedException(ex.Host, ex.Refusals);
        }
    }
}
