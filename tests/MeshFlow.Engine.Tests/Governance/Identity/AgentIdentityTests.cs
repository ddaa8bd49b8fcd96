using System.Text.Json;
using MeshFlow.Governance.Identity;

namespace MeshFlow.Tests.Governance.Identity;

public sealed class AgentIdentityTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Identities_with_equal_keys_and_capabilities_are_equal_whatever_the_array_instances()
    {
        var (did, key) = DidKey.NewIdentity();
        var a = new AgentIdentity("acme", "review", "writer", "writer", did, key, ["search", "fetch"], At);
        var b = new AgentIdentity("acme", "review", "writer", "writer", did, [.. key], new List<string> { "search", "fetch" }, At);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Capabilities = ["fetch", "search"] });
        Assert.NotEqual(a, b with { PublicKey = DidKey.NewIdentity().PublicKey });
        Assert.NotEqual(a, b with { RevokedAt = At, RevokedReason = "leaked" });
    }

    [Fact]
    public void An_identity_is_revoked_once_it_has_a_revocation_time()
    {
        var (did, key) = DidKey.NewIdentity();
        var identity = new AgentIdentity("acme", "review", "writer", "writer", did, key, [], At);

        Assert.False(identity.IsRevoked);
        Assert.True((identity with { RevokedAt = At.AddHours(1), RevokedReason = "compromised" }).IsRevoked);
    }

    [Fact]
    public void Json_uses_snake_case_names_and_round_trips()
    {
        var (did, key) = DidKey.NewIdentity();
        var identity = new AgentIdentity("acme", "review", "writer", "writer-agent", did, key, ["search"], At, At.AddDays(1), "rotated");

        var json = JsonSerializer.Serialize(identity);
        using var document = JsonDocument.Parse(json);

        Assert.Equal(
            ["tenant_id", "workflow", "node_id", "agent_id", "did", "public_key", "capabilities", "created_at", "revoked_at", "revoked_reason"],
            document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(identity, JsonSerializer.Deserialize<AgentIdentity>(json));
    }
}
