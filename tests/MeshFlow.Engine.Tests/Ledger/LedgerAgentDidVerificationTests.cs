using System.Security.Cryptography;
using System.Text;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;

namespace MeshFlow.Tests.Ledger;

/// <summary>Format 2 records (those naming their agent's DID) in a chain, beside format 1 ones.</summary>
public sealed class LedgerAgentDidVerificationTests : IDisposable
{
    private const string Tenant = "acme";
    private const string Run = "run_did";
    private const string WriterDid = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
    private const string CriticDid = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";

    private readonly Ed25519LedgerSigner _signer = Ed25519LedgerSigner.Create();

    public void Dispose() => _signer.Dispose();

    [Fact]
    public void A_chain_mixing_format_1_and_format_2_records_verifies()
    {
        var records = MixedChain();

        var result = Verify(records);

        Assert.True(result.Valid, result.Detail);
        Assert.Equal([1, 2, 1, 2, 1, 1], records.Select(r => r.FormatVersion));
    }

    [Theory]
    [InlineData(WriterDid + "x")]
    [InlineData(CriticDid)]
    [InlineData(null)]
    public void A_changed_agent_did_is_a_hash_mismatch_at_its_sequence_number(string? forged)
    {
        var records = MixedChain();
        records[1] = records[1] with { AgentDid = forged };

        var result = Verify(records);

        Assert.False(result.Valid);
        Assert.Equal(LedgerVerificationReasons.HashMismatch, result.Reason);
        Assert.Equal(2, result.FirstBadSeq);
    }

    [Fact]
    public void A_did_slipped_into_a_format_1_record_is_a_hash_mismatch_though_its_header_hash_still_matches()
    {
        var records = MixedChain();
        records[2] = records[2] with { AgentDid = WriterDid };

        var result = Verify(records);

        Assert.Equal(LedgerVerificationReasons.HashMismatch, result.Reason);
        Assert.Equal(3, result.FirstBadSeq);
        Assert.Contains("does not cover", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_of_an_unknown_format_is_a_hash_mismatch_even_when_its_hash_was_recomputed()
    {
        var records = MixedChain();

        // A forger who knows format 1's header writes format 3 with a matching hash: still refused, its rules are unknown.
        var forged = records[^1] with { FormatVersion = 3 };
        var header = Encoding.UTF8.GetString(LedgerHashing.Header(records[^1])).Replace("\"format_version\":1", "\"format_version\":3", StringComparison.Ordinal);
        records[^1] = forged with { EntryHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(header))) };

        var result = Verify(records);

        Assert.Equal(LedgerVerificationReasons.HashMismatch, result.Reason);
        Assert.Equal(records[^1].Seq, result.FirstBadSeq);
        Assert.Contains("format version 3", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Moving_a_record_from_format_2_to_format_1_is_a_hash_mismatch()
    {
        var records = MixedChain();
        records[3] = records[3] with { FormatVersion = 1, AgentDid = null };

        var result = Verify(records);

        Assert.Equal(LedgerVerificationReasons.HashMismatch, result.Reason);
        Assert.Equal(4, result.FirstBadSeq);
    }

    private LedgerVerification Verify(List<LedgerRecord> records) =>
        LedgerVerifier.Verify(Tenant, Run, records, TestChain.Sign(records[^1], _signer), TestChain.Keys(_signer));

    // run_start, writer (DID), a step without one, critic (DID), a step without one, run_end: re-chained and re-hashed.
    private List<LedgerRecord> MixedChain()
    {
        var records = TestChain.Build(Tenant, Run, 6, _signer);
        string?[] dids = [null, WriterDid, null, CriticDid, null, null];
        var chained = new List<LedgerRecord>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i] with
            {
                FormatVersion = LedgerHashing.FormatVersionFor(dids[i]),
                AgentDid = dids[i],
                PrevHash = i == 0 ? records[0].PrevHash : chained[^1].EntryHash,
            };
            chained.Add(record with { EntryHash = LedgerHashing.EntryHash(record) });
        }

        return chained;
    }
}
