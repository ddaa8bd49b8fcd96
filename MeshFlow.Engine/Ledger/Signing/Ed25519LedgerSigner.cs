using System.Security.Cryptography;
using NSec.Cryptography;

namespace MeshFlow.Ledger.Signing;

/// <summary>An Ed25519 ledger key (NSec). The key id is derived from the public key, so it names the key exactly.</summary>
public sealed class Ed25519LedgerSigner : ILedgerSigner, IDisposable
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    private Ed25519LedgerSigner(Key key)
    {
        _key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        KeyId = KeyIdOf(PublicKey);
    }

    /// <inheritdoc />
    public string KeyId { get; }

    /// <inheritdoc />
    public byte[] PublicKey { get; }

    /// <summary>Creates a new random key.</summary>
    public static Ed25519LedgerSigner Create() =>
        new(Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Loads a key from its 32-byte private seed.</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public static Ed25519LedgerSigner FromPrivateKey(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 32)
        {
            throw new ArgumentException("an Ed25519 private key is 32 bytes", nameof(seed));
        }

        return new(Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));
    }

    /// <summary>
    /// Loads the key stored at <paramref name="path"/>, or creates one there (readable by the owner only) when the
    /// file does not exist.
    /// </summary>
    public static Ed25519LedgerSigner LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
        {
            return FromPrivateKey(Convert.FromBase64String(File.ReadAllText(path).Trim()));
        }

        // Written beside the target and moved into place, so a process starting at the same moment (two worker
        // replicas) either wins the move or reads the complete key the other one wrote.
        var signer = Create();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new StreamWriter(temporary, options))
        {
            file.Write(Convert.ToBase64String(signer._key.Export(KeyBlobFormat.RawPrivateKey)));
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            signer.Dispose();
            return FromPrivateKey(Convert.FromBase64String(File.ReadAllText(path).Trim()));
        }

        return signer;
    }

    /// <summary>The id of a public key: <c>ed25519:</c> and the first 16 hex digits of its SHA-256.</summary>
    public static string KeyIdOf(ReadOnlySpan<byte> publicKey) =>
        "ed25519:" + Convert.ToHexStringLower(SHA256.HashData(publicKey).AsSpan(0, 8));

    /// <summary>Checks a signature made by the key whose public half is <paramref name="publicKey"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != 32 || signature.Length != 64)
        {
            return false;
        }

        return NSec.Cryptography.PublicKey.TryImport(Algorithm, publicKey, KeyBlobFormat.RawPublicKey, out var key)
            && key is not null
            && Algorithm.Verify(key, message, signature);
    }

    /// <inheritdoc />
    public byte[] Sign(ReadOnlySpan<byte> message) => Algorithm.Sign(_key, message);

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
