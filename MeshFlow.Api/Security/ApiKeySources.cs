using MeshFlow.Hosting;
using MeshFlow.ServiceDefaults.Startup;

namespace MeshFlow.Api.Security;

/// <summary>
/// Builds the <see cref="ApiKeyStore"/> from <c>MESHFLOW_API_KEYS</c> and <c>MESHFLOW_API_KEYS_FILE</c>, or, when
/// neither is set, from the generated key in the data folder.
/// </summary>
internal static class ApiKeySources
{
    public static ApiKeyStore Load(IConfiguration configuration, ApiSecurityOptions options, ApiKeyBanner banner, ILogger logger)
    {
        var configured = new List<(StoredApiKey Key, string Where)>();
        if (configuration[ApiSecurityConfiguration.ApiKeys] is { } list && !string.IsNullOrWhiteSpace(list))
        {
            configured.AddRange(ApiKeyEntries.ParseList(list, options.DefaultTenant));
        }

        if (configuration[ApiSecurityConfiguration.ApiKeysFile] is { } file && !string.IsNullOrWhiteSpace(file))
        {
            configured.AddRange(ApiKeyEntries.ParseFile(file.Trim(), options.DefaultTenant));
        }

        if (configured.Count > 0)
        {
            RejectRepeatedKeys(configured);
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("API keys: {Count} configured", configured.Count);
            }

            return new ApiKeyStore(configured.Select(entry => entry.Key));
        }

        var dataDirectory = configuration[MeshFlowLedgerServiceCollectionExtensions.DataDirectoryKey] is { Length: > 0 } folder
            ? folder
            : MeshFlowLedgerServiceCollectionExtensions.DefaultDataDirectory;
        var path = Path.Combine(dataDirectory, GeneratedApiKeyFile.FileName);
        var keys = GeneratedApiKeyFile.LoadOrCreate(path, options.DefaultTenant, banner);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("API keys: none configured; accepting the generated key(s) {KeyIds} whose hashes are in {Path}",
                string.Join(", ", keys.Select(k => k.KeyId)), Path.GetFullPath(path));
        }

        return new ApiKeyStore(keys);
    }

    private static void RejectRepeatedKeys(List<(StoredApiKey Key, string Where)> entries)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, where) in entries)
        {
            if (!seen.TryAdd(key.HashHex, where))
            {
                // The same key twice could bind it to two tenants; which one wins must never be an accident.
                throw new MeshFlowConfigurationException($"{where} repeats the key of {seen[key.HashHex]}.");
            }
        }
    }
}
