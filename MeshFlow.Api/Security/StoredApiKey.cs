using System.Security.Cryptography;
using System.Text;

namespace MeshFlow.Api.Security;

/// <summary>
/// One accepted API key as the API keeps it: the SHA-256 of the key (never the key itself), its tenant and its role.
/// </summary>
public sealed class StoredApiKey
{
    /// <summary>The length of a SHA-256 hash in bytes.</summary>
    public const int HashLength = 32;

    private readonly byte[] _hash;

    public StoredApiKey(ReadOnlySpan<byte> hash, string tenantId, string role)
    {
        if (hash.Length != HashLength)
        {
            throw new ArgumentException($"a SHA-256 hash is {HashLength} bytes", nameof(hash));
        }

        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(role);
        _hash = hash.ToArray();
        TenantId = tenantId;
        Role = role;
        KeyId = KeyIdOf(hash);
    }

    /// <summary>A short, non-secret name for the key: the first 12 hex digits of its SHA-256.</summary>
    public string KeyId { get; }

    public string TenantId { get; }

    /// <summary><see cref="MeshFlowClaims.UserRole"/> or <see cref="MeshFlowClaims.AdminRole"/>.</summary>
    public string Role { get; }

    internal ReadOnlySpan<byte> Hash => _hash;

    /// <summary>The hash as lowercase hex, as the generated key file stores it.</summary>
    internal string HashHex => Convert.ToHexStringLower(_hash);

    /// <summary>The key file's line for this key (<c>api-keys.sha256</c>): <c>&lt;sha256-hex&gt; &lt;tenant&gt; &lt;role&gt;</c>.</summary>
    public string HashLine => $"{HashHex} {TenantId} {Role}";

    /// <summary>A new key in MeshFlow's form: <c>mf_</c> and 32 random bytes, base64url.</summary>
    public static string NewKey() => KeyPrefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The prefix of every key MeshFlow generates.</summary>
    public const string KeyPrefix = "mf_";

    public static StoredApiKey FromKey(string key, string tenantId, string role) => new(HashOf(key), tenantId, role);

    public static byte[] HashOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    public static string KeyIdOf(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash[..6]);
}
