namespace MeshFlow.Api.Security;

/// <summary>
/// Prints a generated API key, the one time it is ever shown. The writer is the console (stdout) unless a test
/// registers its own <see cref="ApiKeyBanner"/>.
/// </summary>
public sealed class ApiKeyBanner(TextWriter writer)
{
    public void Announce(string key, StoredApiKey stored, string hashFilePath)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(stored);
        var rule = new string('=', 78);
        writer.WriteLine();
        writer.WriteLine(rule);
        writer.WriteLine($"MeshFlow generated an API key (tenant '{stored.TenantId}', role {stored.Role}, id {stored.KeyId}):");
        writer.WriteLine();
        writer.WriteLine($"    {key}");
        writer.WriteLine();
        writer.WriteLine("Send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.");
        writer.WriteLine($"Copy it now: it will not be shown again. Only its SHA-256 hash is kept, in {hashFilePath}");
        writer.WriteLine($"(delete that file to generate a new key). Set {ApiSecurityConfiguration.ApiKeys} to use your own keys.");
        writer.WriteLine(rule);
        writer.WriteLine();
        writer.Flush();
    }
}
