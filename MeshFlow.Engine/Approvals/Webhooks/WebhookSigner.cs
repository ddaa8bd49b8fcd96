using System.Security.Cryptography;
using System.Text;

namespace MeshFlow.Approvals.Webhooks;

/// <summary>Signs webhook messages as Standard Webhooks 1.0 prescribes (the symmetric <c>v1</c> scheme).</summary>
/// <remarks>
/// The signed content is <c>{webhook-id}.{webhook-timestamp}.{body}</c> in UTF-8, the MAC is HMAC-SHA256 keyed by
/// the secret's decoded bytes, and a signature is written <c>v1,&lt;base64&gt;</c>. While a secret is rotated, every
/// secret in force signs and the signatures are sent space-separated in one <c>webhook-signature</c> header, so a
/// receiver that knows either secret accepts the message.
/// </remarks>
public static class WebhookSigner
{
    /// <summary>The version identifier of a symmetric signature.</summary>
    public const string Version = "v1";

    /// <summary>One signature, <c>v1,&lt;base64&gt;</c>.</summary>
    /// <param name="secret">The signing secret.</param>
    /// <param name="messageId">The <c>webhook-id</c>; must not contain a full stop, which would make the signed content ambiguous.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c>, in unix seconds.</param>
    /// <param name="body">The body exactly as sent.</param>
    public static string Sign(WebhookSecret secret, string messageId, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentNullException.ThrowIfNull(body);
        if (messageId.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException("a webhook id must not contain '.'", nameof(messageId));
        }

        var content = Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{body}");
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret.Key, content, mac);
        return $"{Version},{Convert.ToBase64String(mac)}";
    }

    /// <summary>The <c>webhook-signature</c> header value: one signature per secret, space-separated, in the secrets' order.</summary>
    /// <exception cref="ArgumentException">No secret was given: nothing is ever sent unsigned.</exception>
    public static string SignatureHeader(IReadOnlyList<WebhookSecret> secrets, string messageId, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0)
        {
            throw new ArgumentException("at least one secret is needed to sign", nameof(secrets));
        }

        return string.Join(' ', secrets.Select(secret => Sign(secret, messageId, timestamp, body)));
    }
}
