using System.Buffers;
using NSec.Cryptography;
using SimpleBase;

namespace MeshFlow.Governance.Identity;

/// <summary>
/// <c>did:key</c> DIDs for Ed25519 public keys, per the W3C did:key method: <c>did:key:z</c> followed by the base58btc
/// encoding of the multicodec <c>ed25519-pub</c> prefix (<c>0xed 0x01</c>) and the raw 32-byte public key.
/// </summary>
public static class DidKey
{
    /// <summary>What every did:key DID starts with.</summary>
    public const string Prefix = "did:key:";

    /// <summary>The length of a raw Ed25519 public key, in bytes.</summary>
    public const int PublicKeyLength = 32;

    // The multibase prefix of base58btc.
    private const char Base58Btc = 'z';

    // 34 bytes (multicodec prefix and key) never take more than 47 base58 characters; longer input is not a key.
    private const int MaxEncodedLength = 64;

    private static readonly SearchValues<char> Base58BtcAlphabet =
        SearchValues.Create("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz");

    // The unsigned varint of multicodec 0xed (ed25519-pub).
    private static ReadOnlySpan<byte> Ed25519Multicodec => [0xed, 0x01];

    /// <summary>The did:key DID of an Ed25519 public key.</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static string FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeyLength)
        {
            throw new ArgumentException($"an Ed25519 public key is {PublicKeyLength} bytes, not {publicKey.Length}", nameof(publicKey));
        }

        Span<byte> multicodec = stackalloc byte[Ed25519Multicodec.Length + PublicKeyLength];
        Ed25519Multicodec.CopyTo(multicodec);
        publicKey.CopyTo(multicodec[Ed25519Multicodec.Length..]);
        return Prefix + Base58Btc + Base58.Bitcoin.Encode(multicodec);
    }

    /// <summary>Reads the Ed25519 public key out of a did:key DID.</summary>
    /// <param name="did">The DID.</param>
    /// <param name="publicKey">The raw 32-byte public key; empty when the DID is not valid.</param>
    /// <param name="error">What is wrong with the DID (its prefix, its encoding, its multicodec or its key length); empty when it is valid.</param>
    public static bool TryParse(string did, out byte[] publicKey, out string error)
    {
        publicKey = [];
        if (did is null || !did.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = $"a did:key DID starts with '{Prefix}'";
            return false;
        }

        var multibase = did.AsSpan(Prefix.Length);
        if (multibase.IsEmpty || multibase[0] != Base58Btc)
        {
            error = $"the key is not base58btc: its multibase prefix is not '{Base58Btc}'";
            return false;
        }

        var encoded = multibase[1..];
        if (encoded.IsEmpty || encoded.IndexOfAnyExcept(Base58BtcAlphabet) >= 0)
        {
            error = "the key is not base58btc: it is empty or holds a character outside the base58btc alphabet";
            return false;
        }

        if (encoded.Length > MaxEncodedLength)
        {
            error = $"the key is too long to be an Ed25519 public key ({encoded.Length} base58 characters)";
            return false;
        }

        var bytes = new byte[Base58.Bitcoin.GetSafeByteCountForDecoding(encoded)];
        if (!Base58.Bitcoin.TryDecode(encoded, bytes, out var written))
        {
            error = "the key is not base58btc: it does not decode";
            return false;
        }

        var decoded = bytes.AsSpan(0, written);
        if (!decoded.StartsWith(Ed25519Multicodec))
        {
            error = "the key's multicodec is not ed25519-pub (0xed 0x01)";
            return false;
        }

        var key = decoded[Ed25519Multicodec.Length..];
        if (key.Length != PublicKeyLength)
        {
            error = $"an Ed25519 public key is {PublicKeyLength} bytes, this one is {key.Length}";
            return false;
        }

        publicKey = key.ToArray();
        error = string.Empty;
        return true;
    }

    /// <summary>A new agent identity: a fresh Ed25519 public key and its did:key DID.</summary>
    public static (string Did, byte[] PublicKey) NewIdentity()
    {
        // The private key is dropped with the key object, on purpose: nothing ever signs as the agent. The ledger is
        // signed by the service's key (its run heads); the DID only names the agent, uniquely and revocably.
        using var key = Key.Create(SignatureAlgorithm.Ed25519);
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        return (FromPublicKey(publicKey), publicKey);
    }
}
