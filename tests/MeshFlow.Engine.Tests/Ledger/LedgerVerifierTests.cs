using System.Globalization;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;

namespace MeshFlow.Tests.Ledger;

public sealed class LedgerVerifierTests : IDisposable
{
    private const string Tenant = "acme";
    private const string Run = "run_verify";
    private readonly Ed25519LedgerSigner _signer = Ed25519LedgerSigner.Create();

    public void Dispose() => _signer.Dispose();

    private LedgerVerification Verify(IReadOnlyList<LedgerRecord> records, LedgerHead? head, Dictionary<string, byte[]>? keys = null) =>
        LedgerVerifier.Verify(Tenant, Run, records, head, keys ?? TestChain.Keys(_signer));

    [Fact]
    public void A_signed_untouched_chain_is_valid()
    {
        var records = TestChain.Build(Tenant, Run, 50, _signer);

        var result = Verify(records, TestChain.Sign(records[^1], _signer));

        Assert.True(result.Valid, result.Detail);
        Assert.Equal(50, result.Records);
        Assert.True(result.HeadSigned);
        Assert.Empty(result.Redacted);
    }

    [Fact]
    public void A_thousand_random_single_byte_tamperings_over_every_field_are_each_detected_at_their_sequence_number()
    {
        var random = new Random(20261125);
        var records = TestChain.Build(Tenant, Run, 40, _signer, random);
        var head = TestChain.Sign(records[^1], _signer);
        var fields = Tamperings.Fields;
        var hits = new Dictionary<string, int>();

        for (var i = 0; i < 1_000; i++)
        {
            var index = random.Next(records.Count);
            var field = fields[i % fields.Count];
            var tampered = Tamperings.Apply(records[index], field, random);
            var copy = records.ToList();
            copy[index] = tampered;

            var result = Verify(copy, head);

            Assert.False(result.Valid, $"tampering {field} of record {index + 1} went unnoticed");
            Assert.Equal(records[index].Seq, result.FirstBadSeq);
            hits[field] = hits.GetValueOrDefault(field) + 1;
        }

        Assert.Equal(fields.Count, hits.Count);
    }

    [Fact]
    public void A_deleted_record_is_a_gap_at_its_sequence_number()
    {
        var records = TestChain.Build(Tenant, Run, 10, _signer);
        var head = TestChain.Sign(records[^1], _signer);
        records.RemoveAt(4);

        var result = Verify(records, head);

        Assert.Equal((false, LedgerVerificationReasons.Gap, 5L), (result.Valid, result.Reason, result.FirstBadSeq));
    }

    [Fact]
    public void Reordered_records_break_the_chain_where_the_order_changes()
    {
        var records = TestChain.Build(Tenant, Run, 10, _signer);
        var head = TestChain.Sign(records[^1], _signer);
        (records[3], records[6]) = (records[6] with { Seq = 4 }, records[3] with { Seq = 7 });

        var result = Verify(records, head);

        Assert.False(result.Valid);
        Assert.Equal(4, result.FirstBadSeq);
        Assert.Equal(LedgerVerificationReasons.HashMismatch, result.Reason);
    }

    [Fact]
    public void A_duplicated_record_is_reported_as_a_duplicate()
    {
        var records = TestChain.Build(Tenant, Run, 10, _signer);
        var head = TestChain.Sign(records[^1], _signer);
        records.Insert(6, records[5]);

        var result = Verify(records, head);

        Assert.Equal((false, LedgerVerificationReasons.Duplicate, 6L), (result.Valid, result.Reason, result.FirstBadSeq));
    }

    [Fact]
    public void A_tail_cut_off_after_the_signed_head_is_detected()
    {
        var records = TestChain.Build(Tenant, Run, 10, _signer);
        var head = TestChain.Sign(records[^1], _signer);

        var result = Verify(records.Take(8).ToList(), head);

        Assert.Equal((false, LedgerVerificationReasons.TruncatedTail, 9L), (result.Valid, result.Reason, result.FirstBadSeq));
    }

    [Fact]
    public void An_ended_run_without_a_signed_head_is_not_valid_but_a_run_in_progress_is()
    {
        var records = TestChain.Build(Tenant, Run, 10, _signer);

        var ended = Verify(records, head: null);
        var inProgress = Verify(records.Take(9).ToList(), head: null);

        Assert.Equal((false, LedgerVerificationReasons.MissingHeadSignature), (ended.Valid, ended.Reason));
        Assert.True(inProgress.Valid);
        Assert.False(inProgress.HeadSigned);
    }

    [Fact]
    public void A_forged_head_signature_is_rejected()
    {
        var records = TestChain.Build(Tenant, Run, 10, _signer);
        using var forger = Ed25519LedgerSigner.Create();
        var forged = TestChain.Sign(records[^1], forger) with { KeyId = _signer.KeyId };

        var result = Verify(records, forged);

        Assert.Equal((false, LedgerVerificationReasons.BadHeadSignature), (result.Valid, result.Reason));
    }

    [Fact]
    public void A_head_signed_with_an_unknown_key_is_rejected()
    {
        var records = TestChain.Build(Tenant, Run, 10, _signer);
        using var stranger = Ed25519LedgerSigner.Create();

        var result = Verify(records, TestChain.Sign(records[^1], stranger));

        Assert.Equal(LedgerVerificationReasons.BadHeadSignature, result.Reason);
        Assert.Contains("unknown key", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_head_that_names_another_hash_is_a_head_mismatch()
    {
        var records = TestChain.Build(Tenant, Run, 10, _signer);
        var head = TestChain.Sign(records[^1] with { EntryHash = records[^2].EntryHash }, _signer);

        Assert.Equal(LedgerVerificationReasons.HeadMismatch, Verify(records, head).Reason);
    }

    [Fact]
    public void Records_after_the_signed_head_of_an_ended_run_are_an_unsigned_tail()
    {
        var records = TestChain.Build(Tenant, Run, 10, _signer);
        var head = TestChain.Sign(records[7], _signer);

        var result = Verify(records, head);

        Assert.Equal((false, LedgerVerificationReasons.UnsignedTail, 9L), (result.Valid, result.Reason, result.FirstBadSeq));
    }

    [Fact]
    public void Heads_signed_before_a_key_rotation_still_verify_with_the_old_public_key()
    {
        using var next = Ed25519LedgerSigner.Create();
        var old = TestChain.Build(Tenant, Run, 5, _signer);
        var oldHead = TestChain.Sign(old[^1], _signer);
        var keys = TestChain.Keys(_signer, next);

        Assert.True(Verify(old, oldHead, keys).Valid);
        Assert.NotEqual(_signer.KeyId, next.KeyId);
    }

    [Fact]
    public void An_erased_payload_keeps_the_chain_valid_and_is_listed_as_redacted()
    {
        var records = TestChain.Build(Tenant, Run, 10, _signer);
        var head = TestChain.Sign(records[^1], _signer);
        records[3] = records[3] with { Payload = "{\"redacted\":true}", Redacted = true };
        records[6] = records[6] with { Payload = "{\"redacted\":true}", Redacted = true };

        var result = Verify(records, head);

        Assert.True(result.Valid, result.Detail);
        Assert.Equal([4L, 7L], result.Redacted);
    }

    [Fact]
    public void An_empty_run_is_not_valid()
    {
        Assert.Equal(LedgerVerificationReasons.Empty, Verify([], null).Reason);
    }

    /// <summary>Single-byte tamperings of a record's stored fields that keep the field parseable.</summary>
    private static class Tamperings
    {
        public static readonly IReadOnlyList<string> Fields =
        [
            "tenant_id", "run_id", "prev_hash", "ts", "kind", "node_id", "agent_id", "step_id", "verdict", "block_reason",
            "tokens_input", "tokens_output", "tokens_estimated", "cost_usd", "duration_ms", "uncertainty", "signing_key_id",
            "payload_hash", "entry_hash", "payload", "format_version",
        ];

        public static LedgerRecord Apply(LedgerRecord r, string field, Random random) => field switch
        {
            "tenant_id" => r with { TenantId = Flip(r.TenantId, random) },
            "run_id" => r with { RunId = Flip(r.RunId, random) },
            "prev_hash" => r with { PrevHash = Flip(r.PrevHash, random) },
            "ts" => r with { Timestamp = r.Timestamp.AddMilliseconds(random.Next(1, 1000) * (random.Next(2) * 2 - 1)) },
            "kind" => r with { Kind = Flip(r.Kind, random) },
            "node_id" => r with { NodeId = Flip(r.NodeId ?? string.Empty, random) },
            "agent_id" => r with { AgentId = Flip(r.AgentId ?? string.Empty, random) },
            "step_id" => r with { StepId = Flip(r.StepId ?? string.Empty, random) },
            "verdict" => r with { Verdict = Flip(r.Verdict ?? string.Empty, random) },
            "block_reason" => r with { BlockReason = Flip(r.BlockReason ?? string.Empty, random) },
            "tokens_input" => r with { TokensInput = long.Parse(FlipDigit(r.TokensInput.ToString(CultureInfo.InvariantCulture), random), CultureInfo.InvariantCulture) },
            "tokens_output" => r with { TokensOutput = long.Parse(FlipDigit(r.TokensOutput.ToString(CultureInfo.InvariantCulture), random), CultureInfo.InvariantCulture) },
            "tokens_estimated" => r with { TokensEstimated = !r.TokensEstimated },
            "cost_usd" => r with { CostUsd = decimal.Parse(FlipDigit(r.CostUsd.ToString(CultureInfo.InvariantCulture), random), CultureInfo.InvariantCulture) },
            "duration_ms" => r with { DurationMs = r.DurationMs + (random.Next(1, 1000) / 1000.0) },
            "uncertainty" => r with { Uncertainty = r.Uncertainty is { } u ? u / 2 + 0.25 : 0.5 },
            "signing_key_id" => r with { SigningKeyId = Flip(r.SigningKeyId, random) },
            "payload_hash" => r with { PayloadHash = Flip(r.PayloadHash, random) },
            "entry_hash" => r with { EntryHash = Flip(r.EntryHash, random) },
            "payload" => r with { Payload = Flip(r.Payload, random) },
            "format_version" => r with { FormatVersion = r.FormatVersion + random.Next(1, 9) },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        // Changes one character to another printable ASCII character (an empty value gains one).
        private static string Flip(string value, Random random)
        {
            if (value.Length == 0)
            {
                return ((char)random.Next('a', 'z' + 1)).ToString();
            }

            var chars = value.ToCharArray();
            var at = random.Next(chars.Length);
            char replacement;
            do
            {
                replacement = (char)random.Next(0x21, 0x7F);
            }
            while (replacement == chars[at]);
            chars[at] = replacement;
            return new string(chars);
        }

        private static string FlipDigit(string number, Random random)
        {
            var chars = number.ToCharArray();
            var digits = Enumerable.Range(0, chars.Length).Where(i => char.IsAsciiDigit(chars[i])).ToArray();
            var at = digits[random.Next(digits.Length)];
            char replacement;
            do
            {
                replacement = (char)random.Next('0', '9' + 1);
            }
            while (replacement == chars[at] || (at == 0 && replacement == '0' && chars.Length > 1 && chars[1] != '.'));
            chars[at] = replacement;
            return new string(chars);
        }
    }
}
