using MeshFlow.ServiceDefaults.Startup;

namespace MeshFlow.Api.Security;

/// <summary>
/// Parses configured key entries, <c>&lt;key&gt;[:&lt;tenant&gt;[:&lt;role&gt;]]</c>, into hashes. An error names the
/// entry by where it is (<c>MESHFLOW_API_KEYS entry 2</c>, <c>MESHFLOW_API_KEYS_FILE line 7</c>), never by its key;
/// and since a key written in the wrong field would be echoed too, no field's value is repeated either.
/// </summary>
internal static class ApiKeyEntries
{
    /// <summary>The entries of <c>MESHFLOW_API_KEYS</c>, each with where it is.</summary>
    public static IEnumerable<(StoredApiKey Key, string Where)> ParseList(string list, string defaultTenant)
    {
        var entries = list.Split(',');
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Trim() is { Length: > 0 } entry)
            {
                var where = $"{ApiSecurityConfiguration.ApiKeys} entry {i + 1}";
                yield return (Parse(entry, where, defaultTenant), where);
            }
        }
    }

    /// <summary>The entries of the key file, one per line; blank lines and <c>#</c> comments are skipped.</summary>
    public static List<(StoredApiKey Key, string Where)> ParseFile(string path, string defaultTenant)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MeshFlowConfigurationException($"{ApiSecurityConfiguration.ApiKeysFile} '{path}' cannot be read: {ex.Message}", ex);
        }

        var keys = new List<(StoredApiKey, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                var where = $"{ApiSecurityConfiguration.ApiKeysFile} line {i + 1}";
                keys.Add((Parse(line, where, defaultTenant), where));
            }
        }

        return keys.Count > 0
            ? keys
            : throw new MeshFlowConfigurationException($"{ApiSecurityConfiguration.ApiKeysFile} '{path}' has no key entries.");
    }

    private static StoredApiKey Parse(string entry, string where, string defaultTenant)
    {
        var fields = entry.Split(':');
        if (fields.Length > 3)
        {
            throw Invalid(where, "has more than three ':'-separated fields; the form is <key>[:<tenant>[:<role>]] and a key cannot contain ':'");
        }

        var key = fields[0].Trim();
        if (key.Length == 0)
        {
            throw Invalid(where, "has an empty key");
        }

        // Keys travel in HTTP headers: visible ASCII only.
        if (!key.All(c => c is > ' ' and <= '~'))
        {
            throw Invalid(where, "has a key with characters other than visible ASCII (no spaces)");
        }

        var tenant = fields.Length > 1 && fields[1].Trim() is { Length: > 0 } bound ? bound : defaultTenant;
        if (!TenantIds.IsValid(tenant))
        {
            throw Invalid(where, $"has an invalid tenant id: use letters, digits, '-', '_' and '.', at most {TenantIds.MaxLength}");
        }

        var role = fields.Length > 2 && fields[2].Trim().Length > 0 ? ParseRole(fields[2], where) : MeshFlowClaims.UserRole;
        return StoredApiKey.FromKey(key, tenant, role);
    }

    /// <summary>A role as written in an entry or the generated key file: <c>user</c>, <c>reviewer</c> or <c>admin</c>, in any case.</summary>
    public static string ParseRole(string text, string where) => text.Trim().ToLowerInvariant() switch
    {
        MeshFlowClaims.UserRole => MeshFlowClaims.UserRole,
        MeshFlowClaims.ReviewerRole => MeshFlowClaims.ReviewerRole,
        MeshFlowClaims.AdminRole => MeshFlowClaims.AdminRole,
        _ => throw Invalid(where,
            $"has an unknown role; roles are {MeshFlowClaims.UserRole}, {MeshFlowClaims.ReviewerRole}, {MeshFlowClaims.AdminRole}"),
    };

    private static MeshFlowConfigurationException Invalid(string where, string problem) => new($"{where} {problem}.");
}
