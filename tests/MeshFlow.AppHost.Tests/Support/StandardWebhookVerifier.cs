using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MeshFlow.AppHost.Tests.Support;

/// <summary>
/// A receiver's check of a Standard Webhooks 1.0 signature, written from the specification rather than from MeshFlow's
/// signer: HMAC-SHA256, keyed by the base64 after <c>whsec_</c>, over <c>{webhook-id}.{webhook-timestamp}.{body}</c>,
/// compared with each space-separated <c>v1,&lt;base64&gt;</c> of <c>webhook-signature</c>.
/// </summary>
/// <param name="secret">The shared secret, <c>whsec_&lt;base64&gt;</c>.</param>
/// <param name="time">The receiver's clock.</param>
internal sealed class StandardWebhookVerifier(string secret, TimeProvider time)
{
    /// <summary>How far <c>webhook-timestamp</c> may be from now, as the specification suggests.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private const string SecretPrefix = "whsec_";

    private readonly byte[] _key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal)
        ? secret[SecretPrefix.Length..]
        : throw new ArgumentException($"a Standard Webhooks secret starts with '{SecretPrefix}'", nameof(secret)));

    public StandardWebhookVerifier(string secret)
        : this(secret, TimeProvider.System)
    {
    }

    /// <summary>Why <paramref name="webhook"/> must be refused, or null when its signature verifies.</summary>
    public string? Problem(ReceivedWebhook webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        if (!webhook.Headers.TryGetValue("webhook-id", out var id) || id.Length == 0)
        {
            return "no webhook-id header";
        }

        if (!webhook.Headers.TryGetValue("webhook-timestamp", out var stamp)
            || !long.TryParse(stamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return "no webhook-timestamp header of unix seconds";
        }

        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (age.Duration() > Tolerance)
        {
            return $"webhook-timestamp {seconds} is {age.TotalSeconds:0} s from now, beyond the {Tolerance.TotalSeconds:0} s tolerance";
        }

        if (!webhook.Headers.TryGetValue("webhook-signature", out var header) || header.Length == 0)
        {
            return "no webhook-signature header";
        }

        byte[] content = [.. Encoding.UTF8.GetBytes($"{id}.{seconds.ToString(CultureInfo.InvariantCulture)}."), .. webhook.Body];
        var expected = HMACSHA256.HashData(_key, content);
        foreach (var signature in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = signature.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || signature[..comma] != "v1")
            {
                continue;
            }

            var mac = new byte[HMACSHA256.HashSizeInBytes];
            if (Convert.TryFromBase64String(signature[(comma + 1)..], mac, out var written) && written == mac.Length
                && CryptographicOperations.FixedTimeEquals(mac, expected))
            {
                return null;
            }
        }

        return $"no v1 signature in '{header}' matches the body";
    }
}
