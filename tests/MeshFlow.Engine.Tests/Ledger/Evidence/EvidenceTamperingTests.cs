using System.Text.Json.Nodes;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;

namespace MeshFlow.Tests.Ledger.Evidence;

/// <summary>
/// A completed run's bundle tampered with in each way a holder of the file could, rejected by the C# verifier and the
/// Python one alike, with the same reason at the same sequence number (and the same line).
/// </summary>
public sealed class EvidenceTamperingTests(EvidenceRunFixture fixture) : IClassFixture<EvidenceRunFixture>
{
    private readonly EvidenceRuns _runs = fixture.Runs;
    private JsonObject _bundle = JsonNode.Parse(fixture.Bundle)!.AsObject();

    [Fact]
    public async Task One_byte_of_a_payload_changed_is_a_payload_mismatch_at_its_record()
    {
        var record = Forgery.Record(_bundle, 4);
        var payload = (string)record["payload"]!;
        var at = payload.IndexOf("\"output\":\"", StringComparison.Ordinal) + 10;
        record["payload"] = payload[..at] + (payload[at] == 'X' ? 'Y' : 'X') + payload[(at + 1)..];

        await AssertRejectedAsync(LedgerVerificationReasons.PayloadMismatch, 4);
    }

    [Fact]
    public async Task A_deleted_record_is_a_gap_at_its_sequence_number()
    {
        Forgery.Records(_bundle).Remove(Forgery.Record(_bundle, 5));

        await AssertRejectedAsync(LedgerVerificationReasons.Gap, 5);
    }

    [Fact]
    public async Task Two_records_swapped_with_their_sequence_numbers_are_a_hash_mismatch_at_the_first()
    {
        var (third, fourth) = (Forgery.Record(_bundle, 3), Forgery.Record(_bundle, 4));
        Forgery.Header(third)["seq"] = 4;
        Forgery.Header(fourth)["seq"] = 3;
        var records = Forgery.Records(_bundle);
        var (i, j) = (records.IndexOf(third), records.IndexOf(fourth));
        records[i] = null;
        records[j] = null;
        records[i] = fourth;
        records[j] = third;

        await AssertRejectedAsync(LedgerVerificationReasons.HashMismatch, 3);
    }

    [Fact]
    public async Task A_tail_cut_off_is_a_truncated_tail_after_the_last_record_left()
    {
        var records = Forgery.Records(_bundle);
        records.RemoveAt(records.Count - 1);
        records.RemoveAt(records.Count - 1);

        await AssertRejectedAsync(LedgerVerificationReasons.TruncatedTail, 7);
    }

    [Fact]
    public async Task A_chain_recomputed_by_a_forger_under_the_old_head_is_a_head_mismatch()
    {
        Forge();

        await AssertRejectedAsync(LedgerVerificationReasons.HeadMismatch, 8);
    }

    [Fact]
    public async Task A_chain_recomputed_and_signed_with_the_forgers_own_key_passes_only_on_the_bundles_keys()
    {
        Forge();
        using var forger = Ed25519LedgerSigner.Create();
        Forgery.Resign(_bundle, forger);

        var fromBundle = await _runs.VerifyBothAsync(_bundle);
        var pinned = await _runs.VerifyBothAsync(_bundle, _runs.RealKeys);

        Assert.True(fromBundle is { Valid: true, KeysFromBundle: true }, fromBundle.Summary);
        Assert.Contains($"by {forger.KeyId}, key from the bundle, not pinned", fromBundle.Summary, StringComparison.Ordinal);
        Assert.Equal((LedgerVerificationReasons.BadHeadSignature, 8L), (pinned.Reason, pinned.FirstBadSeq));
        Assert.Equal($"the head is signed with unknown key '{forger.KeyId}'", pinned.Detail);
    }

    [Fact]
    public async Task A_forgers_signature_under_the_real_key_id_verifies_against_neither_the_pinned_key_nor_the_bundles()
    {
        Forge();
        using var forger = Ed25519LedgerSigner.Create();
        Forgery.Resign(_bundle, forger, keyId: _runs.Ledger.Ledger.Signer.KeyId);

        var fromBundle = await _runs.VerifyBothAsync(_bundle);
        var pinned = await _runs.VerifyBothAsync(_bundle, _runs.RealKeys);

        Assert.Equal((LedgerVerificationReasons.BadHeadSignature, "the bundle's key does not have the id it is listed under"), (fromBundle.Reason, fromBundle.Detail));
        Assert.Equal((LedgerVerificationReasons.BadHeadSignature, 8L, "the head's signature does not verify"), (pinned.Reason, pinned.FirstBadSeq, pinned.Detail));
    }

    [Fact]
    public async Task A_head_signature_with_one_bit_flipped_does_not_verify_in_either()
    {
        var head = _bundle["head"]!.AsObject();
        var signature = Convert.FromBase64String((string)head["signature"]!);
        signature[10] ^= 0x01;
        head["signature"] = Convert.ToBase64String(signature);

        await AssertRejectedAsync(LedgerVerificationReasons.BadHeadSignature, 8);
    }

    [Fact]
    public async Task A_record_moved_to_another_run_or_a_link_rewritten_is_named_by_both()
    {
        var original = _bundle.ToJsonString();
        Forgery.Header(Forgery.Record(_bundle, 2))["run_id"] = "run_other";
        Forgery.Rehash(Forgery.Record(_bundle, 2));
        await AssertRejectedAsync(LedgerVerificationReasons.WrongRun, 2);

        _bundle = JsonNode.Parse(original)!.AsObject();
        Forgery.Header(Forgery.Record(_bundle, 6))["prev_hash"] = new string('0', 64);
        Forgery.Rehash(Forgery.Record(_bundle, 6));
        await AssertRejectedAsync(LedgerVerificationReasons.BrokenLink, 6);

        _bundle = JsonNode.Parse(original)!.AsObject();
        Forgery.Records(_bundle).Add(JsonNode.Parse(Forgery.Record(_bundle, 3).ToJsonString()));
        await AssertRejectedAsync(LedgerVerificationReasons.Duplicate, 3);

        _bundle = JsonNode.Parse(original)!.AsObject();
        _bundle["head"] = null;
        await AssertRejectedAsync(LedgerVerificationReasons.MissingHeadSignature, 8);

        _bundle = JsonNode.Parse(original)!.AsObject();
        Forgery.Records(_bundle).Clear();
        var empty = await _runs.VerifyBothAsync(_bundle);
        Assert.Equal((LedgerVerificationReasons.Empty, null), (empty.Reason, empty.FirstBadSeq));
    }

    [Fact]
    public async Task A_head_moved_back_over_an_ended_run_leaves_an_unsigned_tail()
    {
        var seven = Forgery.Record(_bundle, 7);
        var records = Forgery.Records(_bundle);
        var end = Forgery.Record(_bundle, 8);
        records.Remove(end);
        using var signer = Ed25519LedgerSigner.Create();
        Forgery.Resign(_bundle, signer);
        records.Add(end);

        var verification = await _runs.VerifyBothAsync(_bundle);

        Assert.Equal((string)seven["entry_hash"]!, (string)_bundle["head"]!["entry_hash"]!);
        Assert.Equal((LedgerVerificationReasons.UnsignedTail, 8L), (verification.Reason, verification.FirstBadSeq));
    }

    // The payload of step 3 changed, and every payload hash, entry hash and link after it recomputed, as a forger
    // without the signing key would.
    private void Forge()
    {
        var record = Forgery.Record(_bundle, 3);
        var payload = JsonNode.Parse((string)record["payload"]!)!.AsObject();
        payload["output"] = "The forger's version of the clause.";
        Forgery.SetPayload(record, MeshFlow.Ledger.Canonical.CanonicalJson.Canonicalize(payload.ToJsonString()) is var bytes
            ? System.Text.Encoding.UTF8.GetString(bytes) : null!);
        Forgery.Rechain(_bundle, 3);
    }

    private async Task AssertRejectedAsync(string reason, long seq)
    {
        var verification = await _runs.VerifyBothAsync(_bundle);
        var pinned = await _runs.VerifyBothAsync(_bundle, _runs.RealKeys);

        Assert.False(verification.Valid);
        Assert.Equal((reason, seq), (verification.Reason, verification.FirstBadSeq));
        Assert.Equal((reason, seq), (pinned.Reason, pinned.FirstBadSeq));
    }
}
