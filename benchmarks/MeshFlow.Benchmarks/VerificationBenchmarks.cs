using BenchmarkDotNet.Attributes;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;

namespace MeshFlow.Benchmarks;

/// <summary>
/// Chain verification speed: a signed 10,000-record chain of typical step records (a few hundred bytes of payload
/// each) recomputed from scratch. Divide by 10,000 for the cost of one record.
/// </summary>
[MemoryDiagnoser]
public class VerificationBenchmarks : IDisposable
{
    public const int Records = 10_000;
    private readonly Ed25519LedgerSigner _signer = Ed25519LedgerSigner.Create();
    private List<LedgerRecord> _chain = null!;
    private LedgerHead _head = null!;
    private Dictionary<string, byte[]> _keys = null!;

    [GlobalSetup]
    public void Setup()
    {
        _chain = SyntheticChain.Build("acme", "run_bench", Records, _signer);
        var last = _chain[^1];
        var unsigned = new LedgerHead(last.TenantId, last.RunId, last.Seq, last.EntryHash, DateTimeOffset.UnixEpoch, _signer.KeyId, string.Empty);
        _head = unsigned with { Signature = Convert.ToBase64String(_signer.Sign(LedgerHashing.HeadMessage(unsigned))) };
        _keys = new Dictionary<string, byte[]> { [_signer.KeyId] = _signer.PublicKey };
        if (!LedgerVerifier.Verify("acme", "run_bench", _chain, _head, _keys).Valid)
        {
            throw new InvalidOperationException("the benchmark chain does not verify");
        }
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public bool VerifyRecord() => LedgerVerifier.Verify("acme", "run_bench", _chain, _head, _keys).Valid;

    public void Dispose()
    {
        _signer.Dispose();
        GC.SuppressFinalize(this);
    }
}
