using System.Globalization;
using System.Text.Json.Nodes;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Evidence;
using MeshFlow.Ledger.Signing;
using MeshFlow.Runs;

namespace MeshFlow.Tests.Ledger.Evidence;

/// <summary>
/// A header must be exactly the canonical header of the record rebuilt from it: the C# verifier (which rebuilds the
/// record) and the Python one (which hashes the header as given) judge every header alike.
/// </summary>
public sealed class EvidenceHeaderRuleTests(EvidenceRunFixture fixture) : IClassFixture<EvidenceRunFixture>
{
    private readonly EvidenceRuns _runs = fixture.Runs;

    public static TheoryData<string, string?, string> NonCanonicalHeaders => new()
    {
        { "cost_usd", "\"0.180\"", "field cost_usd is not a decimal string in canonical form" },
        { "cost_usd", "\"-0\"", "field cost_usd is not a decimal string in canonical form" },
        { "cost_usd", "\"79228162514264337593543950336\"", "field cost_usd is not a decimal string in canonical form" },
        { "cost_usd", "\"1E-3\"", "field cost_usd is not a decimal string in canonical form" },
        { "cost_usd", "0", "field cost_usd is not a decimal string in canonical form" },
        { "ts", "\"2026-01-01T00:00:00Z\"", "field ts is not a UTC timestamp yyyy-MM-ddTHH:mm:ss.fffZ" },
        { "ts", "\"2026-02-30T00:00:00.000Z\"", "field ts is not a UTC timestamp yyyy-MM-ddTHH:mm:ss.fffZ" },
        { "uncertainty", "\"1e-05\"", "field uncertainty is not null or a number string in .NET round-trip form" },
        { "uncertainty", "\"0.50\"", "field uncertainty is not null or a number string in .NET round-trip form" },
        { "uncertainty", "0.5", "field uncertainty is not null or a number string in .NET round-trip form" },
        { "duration_us", "1.5", "field duration_us is not an integer from -2^50 to 2^50" },
        { "duration_us", "1125899906842625", "field duration_us is not an integer from -2^50 to 2^50" },
        { "duration_us", "\"1500\"", "field duration_us is not an integer from -2^50 to 2^50" },
        { "tokens_input", "9007199254740992", "field tokens_input is not an integer from -(2^53-1) to 2^53-1" },
        { "tokens_output", "1e3", "field tokens_output is not an integer from -(2^53-1) to 2^53-1" },
        { "tokens_estimated", "0", "field tokens_estimated is not true or false" },
        { "kind", "null", "field kind is not a string" },
        { "agent_id", "[]", "field agent_id is not a string or null" },
        { "note", "\"added\"", "header has an unexpected field 'note'" },
        { "verdict", null, "header lacks verdict" },
        { "format_version", "3", "has format version 3, which has no known header" },
        { "format_version", "\"2\"", "header has no integer format_version" },
        { "format_version", "1", "is format 1 but carries an agent_did its header does not cover" },
    };

    [Theory]
    [MemberData(nameof(NonCanonicalHeaders))]
    public async Task A_non_canonical_header_is_a_hash_mismatch_even_when_a_forger_rehashed_and_resigned_the_chain(string field, string? json, string problem)
    {
        var bundle = JsonNode.Parse(fixture.Bundle)!.AsObject();
        var step = Forgery.Records(bundle).Select(r => r!.AsObject()).First(r => Forgery.Header(r).ContainsKey("agent_did"));
        var seq = (long)Forgery.Header(step)["seq"]!;
        Set(Forgery.Header(step), field, json);
        Forgery.Rechain(bundle, seq);
        using var forger = Ed25519LedgerSigner.Create();
        Forgery.Resign(bundle, forger);

        var verification = await _runs.VerifyBothAsync(bundle);

        Assert.Equal((LedgerVerificationReasons.HashMismatch, seq), (verification.Reason, verification.FirstBadSeq));
        Assert.EndsWith(problem, verification.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cost_usd", "\"0.0\"")]
    [InlineData("tokens_estimated", "false")]
    [InlineData("duration_us", "-0")]
    public async Task A_header_rewritten_into_an_equal_value_in_another_form_is_a_hash_mismatch_without_any_rehash(string field, string json)
    {
        var bundle = JsonNode.Parse(fixture.Bundle)!.AsObject();
        var header = Forgery.Header(Forgery.Record(bundle, 1));
        Assert.Equal(field == "cost_usd" ? "\"0\"" : field == "duration_us" ? "0" : "false", header[field]!.ToJsonString());
        Set(header, field, json);

        var verification = await _runs.VerifyBothAsync(bundle, _runs.RealKeys);

        // "-0" and false are canonical already ("-0" reads as the integer 0): they change nothing.
        if (json is "false" or "-0")
        {
            Assert.True(verification.Valid, verification.Summary);
            return;
        }

        Assert.Equal((LedgerVerificationReasons.HashMismatch, 1L), (verification.Reason, verification.FirstBadSeq));
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
    public async Task Uncertainty_scores_that_no_store_keeps_still_round_trip_in_both_verifiers()
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

    [Fact]
    public async Task Python_writes_every_double_the_way_dotnet_round_trips_it_and_reads_only_those_strings()
    {
        var random = new Random(8785);
        var lines = new List<string>();
        for (var i = 0; i < 20_000; i++)
        {
            var value = (i % 3) switch
            {
                0 => BitConverter.Int64BitsToDouble(random.NextInt64()),
                1 => random.NextDouble() * Math.Pow(10, random.Next(-30, 30)),
                _ => Math.Round(random.NextDouble(), random.Next(1, 16)),
            };
            if (double.IsFinite(value))
            {
                lines.Add($"{BitConverter.DoubleToInt64Bits(value)} {value.ToString("R", CultureInfo.InvariantCulture)}");
            }
        }

        string[] candidates =
        [
            "1e-05", "1E-05", "0.50", "0.5", "+1", " 1", "1E5", "1E+05", "NaN", "-NaN", "Infinity", "-Infinity", "∞", "1E+400", "-0", "0.0", "0",
            "00", "1.", ".5", "1E+17", "1E+16", "10000000000000000", "100000000000000000", "0.0001", "0.00001", "1E-5", "1.0E-05", "5E-324", "2E-324",
        ];
        var path = _runs.WriteFile("doubles.txt", string.Join('\n', lines));
        var python = await PythonVerifier.RunSnippetAsync("""
            import struct, sys, verify_bundle as v
            bad = []
            for line in open(sys.argv[1], encoding="utf-8"):
                bits, text = line.split()
                x = struct.unpack("<d", struct.pack("<q", int(bits)))[0]
                if v.net_round_trip(x) != text or not v._round_trip_double(text):
                    bad.append(text)
            print(len(bad), bad[:5])
            for text in sys.argv[2:]:
                print(v._round_trip_double(text))
            """, [path, .. candidates]);

        var outputLines = python.Stdout.Trim().Split('\n');
        Assert.Equal("0 []", outputLines[0]);
        Assert.Equal(candidates.Select(c => EvidenceHeaders.IsRoundTripDouble(c) ? "True" : "False"), outputLines.Skip(1));
    }

    [Fact]
    public async Task Python_and_dotnet_agree_on_which_decimals_and_timestamps_are_canonical()
    {
        string[] decimals =
        [
            "0", "-0", "0.0", "1", "01", "-1", "0.18", "0.180", ".5", "5.", "1e3", "12.5", "-12.5", "79228162514264337593543950335",
            "79228162514264337593543950336", "7.9228162514264337593543950335", "7.9228162514264337593543950336", "0.0000000000000000000000000001",
            "0.00000000000000000000000000001", "+1", " 1", "１", "1\n",
        ];
        string[] timestamps =
        [
            "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00Z", "2026-02-29T00:00:00.000Z", "2024-02-29T23:59:59.999Z", "2026-13-01T00:00:00.000Z",
            "0000-01-01T00:00:00.000Z", "0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "2026-01-01T24:00:00.000Z",
            "2026-01-01T23:59:60.000Z", "2026-01-01 00:00:00.000Z", "2026-01-01T00:00:00.000+00:00", "2026-01-01T00:00:00.000Z\n", "２026-01-01T00:00:00.000Z",
        ];

        var python = await PythonVerifier.RunSnippetAsync("""
            import json, sys, verify_bundle as v
            decimals, timestamps = json.loads(sys.argv[1]), json.loads(sys.argv[2])
            print(json.dumps([v._canonical_decimal(d) for d in decimals]))
            print(json.dumps([v._timestamp(t) for t in timestamps]))
            """, System.Text.Json.JsonSerializer.Serialize(decimals), System.Text.Json.JsonSerializer.Serialize(timestamps));

        var outputLines = python.Stdout.Trim().Split('\n');
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(decimals.Select(EvidenceHeaders.IsCanonicalDecimal)).Replace(",", ", ", StringComparison.Ordinal), outputLines[0]);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(timestamps.Select(t => EvidenceHeaders.TryParseTimestamp(t, out _))).Replace(",", ", ", StringComparison.Ordinal), outputLines[1]);
        Assert.True(EvidenceHeaders.IsCanonicalDecimal("79228162514264337593543950335"));
        Assert.False(EvidenceHeaders.IsCanonicalDecimal("0.180"));
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
