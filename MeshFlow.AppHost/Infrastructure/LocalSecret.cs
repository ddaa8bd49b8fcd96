using System.Security.Cryptography;

namespace MeshFlow.AppHost.Infrastructure;

/// <summary>
/// A password generated on first use and kept in a file readable by its owner only (0600), so a server's data
/// folder and the connection strings handed out agree across AppHost runs.
/// </summary>
/// <param name="name">Names the secret in manifest expressions (never used: local servers exist in run mode only).</param>
/// <param name="path">The file holding the password.</param>
/// <param name="beforeCreate">
/// Runs before a new password is generated; throws when generating one would be wrong (data that needs the lost one).
/// </param>
public sealed class LocalSecret(string name, string path, Action? beforeCreate = null) : IValueProvider, IManifestExpressionProvider
{
    // Letters and digits only: safe inside Npgsql and StackExchange.Redis connection strings and redis.conf.
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const int Length = 32;

    private readonly Lock _gate = new();

    public string Path { get; } = path;

    public string ValueExpression => $"{{{name}.value}}";

    public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) => new(ReadOrCreate());

    public ValueTask<string?> GetValueAsync(ValueProviderContext context, CancellationToken cancellationToken = default) =>
        GetValueAsync(cancellationToken);

    /// <summary>Reads the password, generating and saving one first when the file does not exist.</summary>
    public string ReadOrCreate()
    {
        lock (_gate)
        {
            if (File.Exists(Path))
            {
                var existing = File.ReadAllText(Path).Trim();
                if (existing.Length > 0)
                {
                    return existing;
                }
            }

            beforeCreate?.Invoke();
            var password = RandomNumberGenerator.GetString(Alphabet, Length);
            PrivateDirectory.Ensure(System.IO.Path.GetDirectoryName(Path)!);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(Path, options))
            {
                writer.Write(password + "\n");
            }

            if (!OperatingSystem.IsWindows())
            {
                // UnixCreateMode only applies to a new file; an emptied one keeps its old mode otherwise.
                File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            return password;
        }
    }
}
