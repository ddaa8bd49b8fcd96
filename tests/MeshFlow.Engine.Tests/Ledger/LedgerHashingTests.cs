using System.Text;
using System.Text.Json;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;

namespace MeshFlow.Tests.Ledger;

public sealed class LedgerHashingTests
{
    [Fact]
    public void The_genesis_hash_is_fixed_per_tenant_and_run()
    {
        Assert.Equal(LedgerHashing.Genesis("acme", "r1"), LedgerHashing.Genesis("acme", "r1"));
        Assert.NotEqual(LedgerHashing.Genesis("acme", "r1"), LedgerHashing.Genesis("acme", "r2"));
        Assert.NotEqual(LedgerHashing.Genesis("acme", "r1"), LedgerHashing.Genesis("globex", "r1"));
        Assert.Matches("^[0-9a-f]{64}$", LedgerHashing.Genesis("acme", "r1"));
    }

    [Fact]
    public void The_header_is_canonical_json_with_sorted_keys_and_no_floating_point()
    {
        using var signer = Ed25519LedgerSigner.Create();
        var record = TestChain.Build("t\"enant\n€", "run", 3, signer)[1] with { Uncertainty = 0.125 };

        var header = LedgerHashing.Header(record);
        using var document = JsonDocument.Parse(header);
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();

        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(20, names.Count);
        Assert.Equal("t\"enant\n€", document.RootElement.GetProperty("tenant_id").GetString());
        Assert.Contains("\"tenant_id\":\"t\\\"enant\\n€\"", Encoding.UTF8.GetString(header), StringComparison.Ordinal);
        Assert.Equal("0.125", document.RootElement.GetProperty("uncertainty").GetString());
        Assert.Equal(JsonValueKind.Number, document.RootElement.GetProperty("duration_us").ValueKind);
        Assert.DoesNotContain(' ', Encoding.UTF8.GetString(header).Replace("step ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void A_fixed_record_has_a_fixed_header_and_entry_hash()
    {
        // Written out by hand: a change to the header's form or to how it is hashed breaks every stored chain.
        var record = new LedgerRecord
        {
            TenantId = "acme", RunId = "run_1", Seq = 2, PrevHash = new string('a', 64), Timestamp = new DateTimeOffset(2026, 11, 25, 9, 30, 1, 42, TimeSpan.Zero),
            Kind = LedgerRecordKinds.Step, NodeId = "writer", AgentId = "writer", StepId = "writer:1", Verdict = "commit", BlockReason = null,
            TokensInput = 420, TokensOutput = 96, TokensEstimated = true, CostUsd = 0.000120m, DurationMs = 812.3456, Uncertainty = 0.25,
            SigningKeyId = "ed25519:0011223344556677", PayloadHash = new string('b', 64), EntryHash = string.Empty, Payload = "{}",
        };
        const string expected = "{\"agent_id\":\"writer\",\"block_reason\":null,\"cost_usd\":\"0.00012\",\"duration_us\":812346,"
            + "\"format_version\":1,\"kind\":\"step\",\"node_id\":\"writer\",\"payload_hash\":\"" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
            + "\",\"prev_hash\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"run_id\":\"run_1\",\"seq\":2,"
            + "\"signing_key_id\":\"ed25519:0011223344556677\",\"step_id\":\"writer:1\",\"tenant_id\":\"acme\",\"tokens_estimated\":true,"
            + "\"tokens_input\":420,\"tokens_output\":96,\"ts\":\"2026-11-25T09:30:01.042Z\",\"uncertainty\":\"0.25\",\"verdict\":\"commit\"}";

        Assert.Equal(expected, Encoding.UTF8.GetString(LedgerHashing.Header(record)));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(expected))), LedgerHashing.EntryHash(record));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("{}"u8)), LedgerHashing.PayloadHash("{}"));
    }

    [Fact]
    public void A_fixed_format_2_record_has_agent_did_first_in_its_header()
    {
        // Written out by hand, like the format 1 record above: agent_did sorts before agent_id.
        var record = new LedgerRecord
        {
            FormatVersion = 2, TenantId = "acme", RunId = "run_1", Seq = 2, PrevHash = new string('a', 64),
            Timestamp = new DateTimeOffset(2026, 11, 25, 9, 30, 1, 42, TimeSpan.Zero), Kind = LedgerRecordKinds.Step, NodeId = "writer",
            AgentId = "writer", AgentDid = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", StepId = "writer:1", Verdict = "commit",
            TokensInput = 420, TokensOutput = 96, CostUsd = 0.5m, DurationMs = 1, SigningKeyId = "ed25519:0011223344556677",
            PayloadHash = new string('b', 64), EntryHash = string.Empty, Payload = "{}",
        };
        const string expected = "{\"agent_did\":\"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK\",\"agent_id\":\"writer\","
            + "\"block_reason\":null,\"cost_usd\":\"0.5\",\"duration_us\":1000,\"format_version\":2,\"kind\":\"step\",\"node_id\":\"writer\","
            + "\"payload_hash\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\","
            + "\"prev_hash\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"run_id\":\"run_1\",\"seq\":2,"
            + "\"signing_key_id\":\"ed25519:0011223344556677\",\"step_id\":\"writer:1\",\"tenant_id\":\"acme\",\"tokens_estimated\":false,"
            + "\"tokens_input\":420,\"tokens_output\":96,\"ts\":\"2026-11-25T09:30:01.042Z\",\"uncertainty\":null,\"verdict\":\"commit\"}";

        Assert.Equal(expected, Encoding.UTF8.GetString(LedgerHashing.Header(record)));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(expected))), LedgerHashing.EntryHash(record));
    }

    [Fact]
    public void A_record_is_format_2_exactly_when_it_names_an_agent_did()
    {
        Assert.Equal(1, LedgerHashing.FormatVersionFor(null));
        Assert.Equal(2, LedgerHashing.FormatVersionFor("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"));
        Assert.Equal(LedgerHashing.FormatVersion, LedgerHashing.FormatVersionFor(null));
        Assert.Equal(LedgerHashing.AgentDidFormatVersion, LedgerHashing.FormatVersionFor("did:key:z"));
    }

    [Theory]
    [InlineData(1, "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "does not cover")]
    [InlineData(0, null, "format version 0")]
    [InlineData(3, null, "format version 3")]
    [InlineData(3, "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "format version 3")]
    public void A_record_no_format_covers_has_no_header_to_hash(int formatVersion, string? agentDid, string problem)
    {
        using var signer = Ed25519LedgerSigner.Create();
        var record = TestChain.Build("a", "b", 2, signer)[1] with { FormatVersion = formatVersion, AgentDid = agentDid };

        Assert.Contains(problem, LedgerHashing.HeaderProblem(record), StringComparison.Ordinal);
        Assert.Contains(problem, Assert.Throws<ArgumentException>(() => LedgerHashing.EntryHash(record)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => LedgerHashing.Header(record));
    }

    [Fact]
    public void A_format_2_record_without_a_did_still_hashes_its_null_agent_did()
    {
        using var signer = Ed25519LedgerSigner.Create();
        var record = TestChain.Build("a", "b", 2, signer)[1];
        var format2 = record with { FormatVersion = 2 };

        Assert.Null(LedgerHashing.HeaderProblem(format2));
        Assert.StartsWith("{\"agent_did\":null,", Encoding.UTF8.GetString(LedgerHashing.Header(format2)), StringComparison.Ordinal);
        Assert.NotEqual(LedgerHashing.EntryHash(record), LedgerHashing.EntryHash(format2));
    }

    [Fact]
    public void Control_characters_are_escaped_the_rfc_8785_way()
    {
        using var signer = Ed25519LedgerSigner.Create();
        var record = TestChain.Build("a", "b", 2, signer)[1] with { NodeId = "x\u0001\b\t\f\r\\y/" };

        var header = Encoding.UTF8.GetString(LedgerHashing.Header(record));

        Assert.Contains("\"node_id\":\"x\\u0001\\b\\t\\f\\r\\\\y/\"", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Costs_hash_the_same_whatever_their_decimal_scale()
    {
        using var signer = Ed25519LedgerSigner.Create();
        var record = TestChain.Build("a", "b", 2, signer)[1];

        Assert.Equal(LedgerHashing.EntryHash(record with { CostUsd = 0.18m }), LedgerHashing.EntryHash(record with { CostUsd = 0.1800m }));
        Assert.NotEqual(LedgerHashing.EntryHash(record with { CostUsd = 0.18m }), LedgerHashing.EntryHash(record with { CostUsd = 0.181m }));
    }

    [Fact]
    public void Timestamps_are_kept_to_the_millisecond()
    {
        var at = new DateTimeOffset(2026, 11, 25, 10, 0, 0, 123, TimeSpan.FromHours(2)).AddTicks(4567);

        var truncated = LedgerHashing.Truncate(at);

        Assert.Equal(TimeSpan.Zero, truncated.Offset);
        Assert.Equal(at.ToUnixTimeMilliseconds(), truncated.ToUnixTimeMilliseconds());
        Assert.Equal(0, truncated.Ticks % TimeSpan.TicksPerMillisecond);
    }
}
