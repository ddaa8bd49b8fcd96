using System.Security.Cryptography;
using MeshFlow.Ledger;

namespace MeshFlow.Tests.Ledger;

public sealed class Sha256Tests
{
    [Fact]
    public void Linux_hashes_small_inputs_through_libcrypto()
    {
        // .NET itself needs OpenSSL on Linux, so the fast path must be available wherever the tests run there.
        Assert.Equal(OperatingSystem.IsLinux(), Sha256.IsNative);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(535)]
    [InlineData(16 * 1024)]
    [InlineData(16 * 1024 + 1)]
    [InlineData(1_000_000)]
    public void Every_length_hashes_exactly_as_the_managed_api(int length)
    {
        var input = new byte[length];
        new Random(length).NextBytes(input);
        var hash = new byte[Sha256.HashSize];

        Sha256.Hash(input, hash);

        Assert.Equal(SHA256.HashData(input), hash);
    }

    [Fact]
    public void Concurrent_callers_get_their_own_answers()
    {
        var inputs = Enumerable.Range(0, 2_000).Select(i => { var b = new byte[i % 700]; new Random(i).NextBytes(b); return b; }).ToArray();
        var hashes = new byte[inputs.Length][];

        Parallel.For(0, inputs.Length, i =>
        {
            hashes[i] = new byte[Sha256.HashSize];
            Sha256.Hash(inputs[i], hashes[i]);
        });

        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(SHA256.HashData(inputs[i]), hashes[i]);
        }
    }

    [Fact]
    public void A_short_destination_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Sha256.Hash([1, 2, 3], new byte[31]));
    }
}
