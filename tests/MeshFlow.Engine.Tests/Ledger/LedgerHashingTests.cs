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
