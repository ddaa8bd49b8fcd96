using System.Security.Cryptography;
using System.Text;

namespace MeshFlow.Api.Security;

/// <summary>The accepted API keys, held only as SHA-256 hashes.</summary>
/// <remarks>
/// A presented key is hashed and compared with every stored hash using
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, without stopping at a match: the time taken depends only on
/// the number of keys, not on which key matched or how much of a hash agreed. A dictionary keyed by hash would also
/// be safe (an attacker controls the hash only through SHA-256), but a deployment has a handful of keys, so the
/// plain scan costs nothing and needs no argument.
/// </remarks>
public sealed class ApiKeyStore
{
    private readonly StoredApiKey[] _keys;

    public ApiKeyStore(IEnumerable<StoredApiKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = [.. keys];
    }

    public int Count => _keys.Length;

    /// <summary>The stored key that <paramref name="presentedKey"/> hashes to, or null.</summary>
    public StoredApiKey? Find(string presentedKey)
    {
        ArgumentNullException.ThrowIfNull(presentedKey);
        Span<byte> hash = stackalloc byte[StoredApiKey.HashLength];
        SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey), hash);

        StoredApiKey? match = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
            {
                match = key;
            }
        }

        return match;
    }
}
