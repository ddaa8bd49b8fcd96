using MeshFlow.Ledger.Signing;

namespace MeshFlow.Tests.Ledger;

public sealed class Ed25519LedgerSignerTests
{
    [Fact]
    public void A_signature_verifies_with_the_public_key_and_fails_on_other_messages()
    {
        using var signer = Ed25519LedgerSigner.Create();
        byte[] message = [1, 2, 3, 4];

        var signature = signer.Sign(message);

        Assert.Equal(64, signature.Length);
        Assert.True(Ed25519LedgerSigner.Verify(signer.PublicKey, message, signature));
        Assert.False(Ed25519LedgerSigner.Verify(signer.PublicKey, [1, 2, 3, 5], signature));
        Assert.False(Ed25519LedgerSigner.Verify(signer.PublicKey, message, signature.AsSpan(0, 63)));
    }

    [Fact]
    public void A_key_file_is_created_once_readable_only_by_its_owner_and_reloaded_as_the_same_key()
    {
        var path = Path.Combine(Path.GetTempPath(), "meshflow-key-" + Guid.NewGuid().ToString("N"), "ledger.key");
        try
        {
            using var created = Ed25519LedgerSigner.LoadOrCreate(path);
            using var loaded = Ed25519LedgerSigner.LoadOrCreate(path);

            Assert.Equal(created.KeyId, loaded.KeyId);
            Assert.Equal(created.PublicKey, loaded.PublicKey);
            Assert.StartsWith("ed25519:", created.KeyId, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void A_private_key_of_the_wrong_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Ed25519LedgerSigner.FromPrivateKey(new byte[31]));
    }
}
