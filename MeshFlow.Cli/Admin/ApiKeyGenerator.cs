using MeshFlow.Api.Security;

namespace MeshFlow.Cli.Admin;

/// <summary>
/// A new API key in the form the API generates its own (<see cref="StoredApiKey.NewKey"/>), with the two ways a server
/// can be given it: a <c>MESHFLOW_API_KEYS</c> entry, or a line of the hash file (<c>api-keys.sha256</c>) that keeps
/// only its SHA-256.
/// </summary>
internal sealed record ApiKeyGenerator(string Key, string TenantId, string Role)
{
    public static ApiKeyGenerator Create(string tenantId, string role) => new(StoredApiKey.NewKey(), tenantId, role);

    /// <summary>The <c>MESHFLOW_API_KEYS</c> entry: <c>&lt;key&gt;:&lt;tenant&gt;:&lt;role&gt;</c>.</summary>
    public string Entry => $"{Key}:{TenantId}:{Role}";

    /// <summary>The hash file's line: <c>&lt;sha256-hex&gt; &lt;tenant&gt; &lt;role&gt;</c>.</summary>
    public string HashLine => StoredApiKey.FromKey(Key, TenantId, Role).HashLine;
}
