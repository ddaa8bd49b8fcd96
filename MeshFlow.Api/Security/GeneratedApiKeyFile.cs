using System.Globalization;
using System.Security.Cryptography;
using MeshFlow.Hosting;
using MeshFlow.ServiceDefaults.Startup;

namespace MeshFlow.Api.Security;

/// <summary>
/// The key the API makes for itself when none is configured: created once, shown once, and kept only as a hash in
/// <c>api-keys.sha256</c> in the data folder, one <c>&lt;sha256-hex&gt; &lt;tenant&gt; &lt;role&gt;</c> line per key.
/// </summary>
internal static class GeneratedApiKeyFile
{
    public const string FileName = "api-keys.sha256";

    /// <summary>
    /// The hashes stored at <paramref name="path"/>; when there is no file, a new admin key for
    /// <paramref name="tenantId"/> whose hash is written there and whose plaintext goes to <paramref name="banner"/>.
    /// </summary>
    public static IReadOnlyList<StoredApiKey> LoadOrCreate(string path, string tenantId, ApiKeyBanner banner)
    {
        if (File.Exists(path))
        {
            return Read(path);
        }

        var key = StoredApiKey.NewKey();
        var stored = StoredApiKey.FromKey(key, tenantId, MeshFlowClaims.AdminRole);
        bool created;
        try
        {
            created = TryCreate(path, stored);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A key that cannot be kept would be lost at the next start; refuse to start with one.
            throw new MeshFlowConfigurationException(
                $"No API keys are configured and the generated key's hash cannot be stored in {path}: {ex.Message} " +
                $"Set {ApiSecurityConfiguration.ApiKeys}, or {MeshFlowLedgerServiceCollectionExtensions.DataDirectoryKey} to a writable folder.", ex);
        }

        if (!created)
        {
            // Another process sharing the data folder generated a key first; that one is the key.
            return Read(path);
        }

        banner.Announce(key, stored, Path.GetFullPath(path));
        return [stored];
    }

    public static IReadOnlyList<StoredApiKey> Read(string path)
    {
        var keys = new List<StoredApiKey>();
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var where = $"{path} line {i + 1}";
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3 || fields[0].Length != StoredApiKey.HashLength * 2 || !fields[0].All(char.IsAsciiHexDigit) || !TenantIds.IsValid(fields[1]))
            {
                throw new MeshFlowConfigurationException($"{where} is not '<sha256-hex> <tenant> <role>'.");
            }

            keys.Add(new StoredApiKey(Convert.FromHexString(fields[0]), fields[1], ApiKeyEntries.ParseRole(fields[2], where)));
        }

        return keys.Count > 0
            ? keys
            : throw new MeshFlowConfigurationException($"{path} has no key hashes; delete it to generate a new key, or set {ApiSecurityConfiguration.ApiKeys}.");
    }

    private static bool TryCreate(string path, StoredApiKey stored)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // Written beside the target and renamed into place, so a concurrent start never reads half a file.
        var temporary = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new StreamWriter(temporary, options))
        {
            file.WriteLine("# MeshFlow API keys: the SHA-256 of each key (never the key), its tenant and its role.");
            file.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# Generated {DateTimeOffset.UtcNow:u}. Delete this file to generate a new key."));
            file.WriteLine(stored.HashLine);
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }
}
