using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MeshFlow.Tests.Approvals.Webhooks;

/// <summary>
/// A receiver's check of a Standard Webhooks signature, written from the specification and sharing no code with the
/// signer under test: the secret's base64 decoded, HMAC-SHA256 over <c>id.timestamp.body</c>, any <c>v1</c> signature
/// in the space-separated header matching in constant time, and the timestamp within five minutes of now.
/// </summary>
internal static class StandardWebhooksVerifier
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static bool Verify(string secret, string id, string timestamp, string signatureHeader, string body, DateTimeOffset now)
    {
        const string Prefix = "whsec_";
        var key = Convert.FromBase64String(secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret);
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > Tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        Span<byte> given = stackalloc byte[64];
        foreach (var candidate in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = candidate.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || candidate[..comma] != "v1")
            {
                continue;
            }

            if (Convert.TryFromBase64String(candidate[(comma + 1)..], given, out var length)
                && CryptographicOperations.FixedTimeEquals(given[..length], expected))
            {
                return true;
            }
        }

        return false;
    }

    public static string NewSecret(int bytes = 32) => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));
}
