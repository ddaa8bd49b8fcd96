using System.Text.Json.Nodes;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Evidence;
using MeshFlow.Ledger.Signing;
using MeshFlow.Runs;

namespace MeshFlow.Tests.Ledger.Evidence;

/// <summary>
/// The C# verifier rebuilds each record from its header and accepts a header only when it is exactly the canonical
/// header of that record; the Python one checks the header's field set and types and hashes it as given. Both accept
/// every header the ledger writes and reject every other one with the same line, except a value written in another form
/// ("0.180"), which the Python one rejects only where the forgery breaks the chain.
/// </summary>
public sealed class EvidenceHeaderTests(EvidenceRunFixture fixture) : IClassFixture<EvidenceRunFixture>
{
    private readonly EvidenceRuns _runs = fixture.Runs;

    private const string NotCanonical = "header is not in canonical form";

    public static TheoryData<string, string?, string, bool> NonCanonicalHeaders => new()
    {
        { "cost_usd", "\"0.180\"", NotCanonical, false },
        { "cost_usd", "\"1E-3\"", NotCanonical, false },
        { "cost_usd", "0", "header field cost_usd cannot be read", true },
        { "ts", "\"2026-01-01T00:00:00Z\"", NotCanonical, false },
        { "ts", "\"yesterday\"", "header field ts cannot be read", false },
        { "uncertainty", "\"0.50\"", NotCanonical, false },
        { "uncertainty", "\"1e-05\"", NotCanonical, false },
        { "uncertainty", "0.5", "header field uncertainty cannot be read", true },
        { "duration_us", "1.5", "header field duration_us cannot be read", true },
        { "duration_us", "\"1500\"", "header field duration_us cannot be read", true },
        { "tokens_estimated", "0", "header field tokens_estimated cannot be read", true },
        { "kind", "null", "header field kind cannot be read", true },
        { "agent_id", "[]", "header field agent_id cannot be read", true },
        { "note", "\"added\"", NotCanonical, true },
        { "verdict", null, NotCanonical, true },
        { "format_version", "\"2\"", "header field format_version cannot be read", true },
        { "format_version", "3", "has format version 3, which has no known header", true },
        { "format_version", "1", "is format 1 but carries an agent_did its header does not cover", true },
    };

    [Theory]
    [MemberData(nameof(NonCanonicalHeaders))]
    public async Task A_header_that_is_not_canonical_is_a_hash_mismatch_at_its_record_in_CSharp_and_rejected_by_python(string field, string? json, string problem, bool pythonNamesIt)
    {
        var original = JsonNode.Parse(fixture.Bundle)!.AsObject();
        var seq = (long)Forgery.Header(Forgery.Records(original).Select(r => r!.AsObject()).First(r => Forgery.Header(r).ContainsKey("agent_did")))["seq"]!;
        var headSeq = (long)original["head"]!["seq"]!;

        // Left as is, the header no longer hashes to its entry hash; rehashed, the next record no longer links to it;
        // with the rest of the chain recomputed, the signed head no longer matches. Only C# names the header itself.
        foreach (var (forge, pythonReason, pythonSeq) in new (Action<JsonObject>, string, long)[]
        {
            (_ => { }, LedgerVerificationReasons.HashMismatch, seq),
            (bundle => Forgery.Rehash(Forgery.Record(bundle, seq)), LedgerVerificationReasons.BrokenLink, seq + 1),
            (bundle => Forgery.Rechain(bundle, seq), LedgerVerificationReasons.HeadMismatch, headSeq),
        })
        {
            var bundle = original.DeepClone().AsObject();
            Set(Forgery.Header(Forgery.Record(bundle, seq)), field, json);
            forge(bundle);

            var (verification, python) = await _runs.VerdictsAsync(bundle.ToJsonString(), _runs.RealKeys);

            Assert.Equal((LedgerVerificationReasons.HashMismatch, seq), (verification.Reason, verification.FirstBadSeq));
            Assert.EndsWith(problem, verification.Detail, StringComparison.Ordinal);
            Assert.Equal(1, python.ExitCode);
            if (pythonNamesIt)
            {
                Assert.Equal(verification.Summary, python.Line);
                continue;
            }

            Assert.StartsWith($"invalid: record {pythonSeq}: {pythonReason} (", python.Line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_header_written_with_other_key_order_spacing_or_escapes_is_the_same_header_to_both()
    {
        var bundle = JsonNode.Parse(fixture.Bundle)!.AsObject();
        var record = Forgery.Record(bundle, 2);
        record["header"] = new JsonObject(Forgery.Header(record).Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())).ToList());
        var text = bundle.ToJsonString();
        var verdict = text.IndexOf("\"verdict\":\"commit\"", StringComparison.Ordinal);
        Assert.True(verdict > 0);

        var verification = await _runs.VerifyBothAsync(text[..verdict] + "\"verdict\" :\n \"\\u0063ommit\"" + text[(verdict + 18)..], _runs.RealKeys);

        Assert.True(verification.Valid, verification.Summary);
    }

    [Fact]
    public async Task Edge_values_and_every_kind_of_character_hash_alike_in_both_verifiers()
    {
        const string RunId = "run_edges";
        var ledger = _runs.Ledger.Ledger;
        await ledger.TryStartRunAsync(EvidenceRuns.Tenant, RunId, new RunStartPayload
        {
            Workflow = "edges", WorkflowDigest = "sha256:0", Input = "quote \" backslash \\ controls \u0001\u001f del \u007f sep \u2028 é 漢 😀 </script>",
            Policy = new MeshFlow.Governance.Policy(),
        }, TestContext.Current.CancellationToken);
        var entries = new[]
        {
            Entry(79228162514264337593543950335m, 1E-05, 1125899906842.0, 9007199254740991) with
            {
                AgentId = "quote \" backslash \\ controls \u0001\b\f\n\r\t\u001f del \u007f sep \u2028\u2029 é 漢 😀 </script> &amp;",
                AgentDid = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
            },
            Entry(0.0000000000000000000000000001m, 5E-324, 0.001, 0) with { NodeId = "\u00e9\u0301 combining", BlockReason = "/slash\\/" },
            Entry(-12.5m, 0.30000000000000004, 0, 1) with { Verdict = "blocked", StepId = "n:1" },
            Entry(1.5m, 1E+17, 123.456, 42) with { Uncertainty = null },
            Entry(0.0001m, 0.0001, 0.0005, 7) with { Uncertainty = 1.2345678901234567E-300 },
        };
        foreach (var entry in entries)
        {
            await ledger.AppendAsync(EvidenceRuns.Tenant, RunId, entry, cancellationToken: TestContext.Current.CancellationToken);
        }

        await ledger.EndRunAsync(EvidenceRuns.Tenant, RunId, new RunEndPayload { Status = "completed", Output = "done \u0000 nul" }, TestContext.Current.CancellationToken);
        Assert.True((await ledger.VerifyAsync(EvidenceRuns.Tenant, RunId, TestContext.Current.CancellationToken)).Valid);

        var verification = await _runs.VerifyBothAsync(EvidenceBundles.Serialize(await _runs.BundleAsync(RunId)), _runs.RealKeys);

        Assert.True(verification is { Valid: true, Records: 7 }, verification.Summary);
    }

    [Fact]
    public async Task Values_that_no_store_keeps_read_back_as_the_canonical_header_they_were_hashed_as()
    {
        using var signer = Ed25519LedgerSigner.Create();
        var records = new List<LedgerRecord>();
        foreach (var uncertainty in new double?[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue, 1E+16, 1.5E-05 })
        {
            var record = new LedgerRecord
            {
                FormatVersion = 1, TenantId = EvidenceRuns.Tenant, RunId = "run_pure", Seq = records.Count + 1,
                PrevHash = records.Count == 0 ? LedgerHashing.Genesis(EvidenceRuns.Tenant, "run_pure") : records[^1].EntryHash,
                Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123 + records.Count), Kind = LedgerRecordKinds.Step,
                Uncertainty = uncertainty, CostUsd = -0.5m, DurationMs = -1.5, TokensInput = -3, SigningKeyId = signer.KeyId,
                PayloadHash = LedgerHashing.PayloadHash("{}"), EntryHash = string.Empty, Payload = "{}",
            };
            records.Add(record with { EntryHash = LedgerHashing.EntryHash(record) });
        }

        var unsigned = new LedgerHead(EvidenceRuns.Tenant, "run_pure", records.Count, records[^1].EntryHash,
            DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_001_000), signer.KeyId, string.Empty);
        var head = unsigned with { Signature = Convert.ToBase64String(signer.Sign(LedgerHashing.HeadMessage(unsigned))) };
        var keys = new Dictionary<string, byte[]> { [signer.KeyId] = signer.PublicKey };
        var bundle = EvidenceBundles.Create(EvidenceRuns.Tenant, "run_pure", records, head, keys, includePayloads: true, DateTimeOffset.UnixEpoch);

        var verification = await _runs.VerifyBothAsync(EvidenceBundles.Serialize(bundle), keys);

        Assert.True(LedgerVerifier.Verify(EvidenceRuns.Tenant, "run_pure", records, head, keys).Valid);
        Assert.True(verification.Valid, verification.Summary);
        Assert.Equal(["NaN", "Infinity", "-Infinity", "-0"], bundle.Records.Take(4).Select(r => r.Header.GetProperty("uncertainty").GetString()));
    }

    private static LedgerEntry Entry(decimal cost, double uncertainty, double durationMs, long tokens) => new()
    {
        Kind = LedgerRecordKinds.Step, Payload = "{\"n\":1}", CostUsd = cost, Uncertainty = uncertainty, DurationMs = durationMs,
        Tokens = new TokenUsage(tokens, tokens, Estimated: tokens % 2 == 0),
    };

    private static void Set(JsonObject header, string field, string? json)
    {
        if (json is null)
        {
            header.Remove(field);
        }
        else
        {
            header[field] = JsonNode.Parse(json);
        }
    }
}
