using System.Globalization;
using System.Numerics;
using MeshFlow.Ledger.Signing;

namespace MeshFlow.Tests.Ledger.Evidence;

/// <summary>The Python verifier's Ed25519, written from RFC 8032, on the RFC's own test vectors and on forgeries, as NSec judges them.</summary>
public sealed class PythonEd25519Tests
{
    // RFC 8032, section 7.1: TEST 1, TEST 2, TEST 3 and TEST SHA(abc) (public key, message, signature).
    private static readonly (string PublicKey, string Message, string Signature)[] Vectors =
    [
        ("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        ("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
        ("fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
        ("ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"),
    ];

    // The group order L, little-endian: S + L is the same scalar mod L, but not canonical.
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493", CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_rfc_8032_vectors_verify_and_every_forgery_of_them_is_refused_as_NSec_refuses_it()
    {
        var cases = new List<(byte[] PublicKey, byte[] Message, byte[] Signature, bool Expected)>();
        foreach (var (publicKeyHex, messageHex, signatureHex) in Vectors)
        {
            var (publicKey, message, signature) = (Convert.FromHexString(publicKeyHex), Convert.FromHexString(messageHex), Convert.FromHexString(signatureHex));
            cases.Add((publicKey, message, signature, true));
            cases.Add((publicKey, [.. message, 0x00], signature, false));
            cases.Add((publicKey, message, Flip(signature, 0), false));
            cases.Add((publicKey, message, Flip(signature, 40), false));
            cases.Add((Flip(publicKey, 5), message, signature, false));
            cases.Add((publicKey, message, WithNonCanonicalS(signature), false));
            cases.Add((publicKey[..31], message, signature, false));
        }

        // With the identity as public key, [k]A vanishes: R = B and S = 1 would sign any message but for the small-order check.
        var identity = Convert.FromHexString("01" + new string('0', 62));
        var signsAnything = Convert.FromHexString("5866666666666666666666666666666666666666666666666666666666666666" + "01" + new string('0', 62));
        cases.Add((identity, "anything"u8.ToArray(), signsAnything, false));

        var lines = cases.Select(c => $"{Convert.ToHexStringLower(c.PublicKey)} {Convert.ToHexStringLower(c.Message)} {Convert.ToHexStringLower(c.Signature)}");
        var python = await PythonVerifier.RunSnippetAsync("""
            import sys, verify_bundle as v
            for line in sys.argv[1:]:
                key, message, signature = (bytes.fromhex(part) for part in line.split(" "))
                print(v.ed25519_verify(key, message, signature))
            """, [.. lines]);

        Assert.Equal(0, python.ExitCode);
        Assert.Equal(cases.Select(c => c.Expected.ToString()), python.Stdout.Trim().Split('\n'));
        Assert.Equal(cases.Select(c => c.Expected), cases.Select(c => Ed25519LedgerSigner.Verify(c.PublicKey, c.Message, c.Signature)));
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0x01;
        return copy;
    }

    private static byte[] WithNonCanonicalS(byte[] signature)
    {
        var s = new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: false) + L;
        var bytes = new byte[64];
        signature.AsSpan(0, 32).CopyTo(bytes);
        s.TryWriteBytes(bytes.AsSpan(32), out _, isUnsigned: true, isBigEndian: false);
        return bytes;
    }
}
