using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MeshFlow.Cli.Admin;

/// <summary>
/// A new API key in the form the API generates its own (<c>mf_</c> and 32 random bytes, base64url), with the two ways a
/// server can be given it: a <c>MESHFLOW_API_KEYS</c> entry, or a line of the hash file (<c>api-keys.sha256</c>) that
/// keeps only its SHA-256.
/// </summary>
internal sealed record ApiKeyGenerator(string Key, string TenantId, string Role)
{
    public const string Prefix = "mf_";

    public static ApiKeyGenerator Create(string tenantId, string role) =>
        new(Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)), tenantId, role);

    /// <summary>The <c>MESHFLOW_API_KEYS</c> entry: <c>&lt;key&gt;:&lt;tenant&gt;:&lt;role&gt;</c>.</summary>
    public string Entry => $"{Key}:{TenantId}:{Role}";

    /// <summary>The hash file's line: <c>&lt;sha256-hex&gt; &lt;tenant&gt; &lt;role&gt;</c>.</summary>
    public string HashLine => $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)))} {TenantId} {Role}";
}
