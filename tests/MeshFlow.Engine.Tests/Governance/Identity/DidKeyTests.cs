using MeshFlow.Governance.Identity;

namespace MeshFlow.Tests.Governance.Identity;

public sealed class DidKeyTests
{
    [Theory]

    // The W3C did:key spec's Ed25519 test vector (publicKeyBase58 4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS).
    [InlineData("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29")]

    // The spec's example DID, whose key was derived by decoding it independently (base58btc by hand).
    [InlineData("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "2e6fcce36701dc791488e0d0b1745cc1e33a4c1c9fcc41c63bd343dbbe0970e6")]
    public void A_did_key_test_vector_decodes_to_its_ed25519_key_and_back(string did, string publicKeyHex)
    {
        Assert.True(DidKey.TryParse(did, out var publicKey, out var error), error);

        Assert.Equal(publicKeyHex, Convert.ToHexStringLower(publicKey));
        Assert.Empty(error);
        Assert.Equal(did, DidKey.FromPublicKey(Convert.FromHexString(publicKeyHex)));
    }

    [Fact]
    public void A_new_identity_is_the_did_key_of_its_own_fresh_key()
    {
        var (did, publicKey) = DidKey.NewIdentity();
        var other = DidKey.NewIdentity();

        Assert.Equal(DidKey.PublicKeyLength, publicKey.Length);
        Assert.StartsWith("did:key:z6Mk", did, StringComparison.Ordinal);
        Assert.True(DidKey.TryParse(did, out var parsed, out _));
        Assert.Equal(publicKey, parsed);
        Assert.NotEqual(did, other.Did);
    }

    [Theory]
    [InlineData("did:web:example.com", "starts with 'did:key:'")]
    [InlineData("z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", "starts with 'did:key:'")]
    [InlineData("DID:KEY:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", "starts with 'did:key:'")]
    [InlineData("", "starts with 'did:key:'")]
    [InlineData("did:key:", "multibase prefix is not 'z'")]
    [InlineData("did:key:u7QE7aie8zrakLWKjqNAqbw1zZTIVdx3iQ6Y6wEihi1naKQ", "multibase prefix is not 'z'")]
    [InlineData("did:key:z", "not base58btc")]
    [InlineData("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDoo0p", "not base58btc")]
    [InlineData("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp ", "not base58btc")]
    [InlineData("did:key:z6LSbk7MN8NDFRJBo2wkq5sYG4XonrAvuJVkS4NaaDcbD6Th", "multicodec is not ed25519-pub")]
    [InlineData("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", "multicodec is not ed25519-pub")]
    [InlineData("did:key:z2DQUz8yxybcgY49o2TDENNPqPQBbVynuU6CcNCWtSMrwMx", "32 bytes, this one is 31")]
    [InlineData("did:key:zQebecGaHdoVnoJG767ZUcQLQ857pRDTS3ASqDZtV5XgUfRZ2", "32 bytes, this one is 33")]
    public void A_malformed_did_is_refused_with_what_is_wrong(string did, string problem)
    {
        Assert.False(DidKey.TryParse(did, out var publicKey, out var error));

        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.Empty(publicKey);
    }

    [Fact]
    public void A_did_too_long_for_any_key_is_refused_before_it_is_decoded()
    {
        Assert.False(DidKey.TryParse("did:key:z" + new string('z', 10_000), out _, out var error));
        Assert.Contains("too long", error, StringComparison.Ordinal);
        Assert.False(DidKey.TryParse(null!, out _, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void A_key_that_is_not_32_bytes_has_no_did(int length)
    {
        Assert.Throws<ArgumentException>(() => DidKey.FromPublicKey(new byte[length]));
    }
}
