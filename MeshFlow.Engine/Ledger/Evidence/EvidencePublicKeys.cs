using NSec.Cryptography;
using MeshFlow.Ledger.Signing;

namespace MeshFlow.Ledger.Evidence;

/// <summary>A trusted Ed25519 public key, by the id the ledger gives it (<see cref="Ed25519LedgerSigner.KeyIdOf"/>).</summary>
/// <param name="KeyId"><c>ed25519:</c> and the first 16 hex digits of the SHA-256 of the key.</param>
/// <param name="PublicKey">The raw 32-byte key.</param>
public sealed record EvidencePublicKey(string KeyId, byte[] PublicKey);

/// <summary>
/// Reads the public keys a verifier pins (the CLI's <c>--public-key &lt;file&gt;</c>), so a bundle is checked against
/// the service's key rather than the keys it carries.
/// </summary>
/// <remarks>
/// A key file holds either the base64 of the raw 32-byte Ed25519 public key (what <c>GET /ledger/keys</c> answers and a
/// bundle's <c>public_keys</c> hold), or a PEM <c>-----BEGIN PUBLIC KEY-----</c> block (X.509 SubjectPublicKeyInfo, as
/// <c>openssl pkey -pubout</c> writes for an Ed25519 key). Surrounding whitespace is ignored.
/// </remarks>
public static class EvidencePublicKeys
{
    private const string PemHeader = "-----BEGIN PUBLIC KEY-----";

    /// <summary>Reads a key file.</summary>
    /// <exception cref="FormatException">The file holds no Ed25519 public key in a supported form.</exception>
    public static EvidencePublicKey Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Parse(File.ReadAllText(path));
    }

    /// <summary>Reads a key from the text of a key file.</summary>
    /// <exception cref="FormatException">The text is no Ed25519 public key in a supported form.</exception>
    public static EvidencePublicKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        byte[] key;
        if (text.StartsWith(PemHeader, StringComparison.Ordinal))
        {
            if (!NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, System.Text.Encoding.ASCII.GetBytes(text),
                KeyBlobFormat.PkixPublicKeyText, out var imported) || imported is null)
            {
                throw new FormatException("the PEM public key is not an Ed25519 key (SubjectPublicKeyInfo)");
            }

            key = imported.Export(KeyBlobFormat.RawPublicKey);
        }
        else
        {
            if (!EvidenceBundleReader.IsBase64(text))
            {
                throw new FormatException($"a public key file holds the base64 of the raw 32-byte Ed25519 key, or a PEM {PemHeader} block");
            }

            key = Convert.FromBase64String(text);
            if (key.Length != 32)
            {
                throw new FormatException($"an Ed25519 public key is 32 bytes, not {key.Length}");
            }
        }

        return new EvidencePublicKey(Ed25519LedgerSigner.KeyIdOf(key), key);
    }

    /// <summary>Keys by id, as <see cref="EvidenceBundles.Verify"/> takes them.</summary>
    public static IReadOnlyDictionary<string, byte[]> ById(IEnumerable<EvidencePublicKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var byId = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            byId[key.KeyId] = key.PublicKey;
        }

        return byId;
    }
}
