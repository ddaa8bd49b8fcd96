using System.Buffers;
using System.Text.Json;
using MeshFlow.Governance.Identity;

namespace MeshFlow.Governance;

/// <summary>What the SQLite and Postgres governance stores share: the agents table's columns, how capabilities and
/// times are stored, and the checks on their arguments.</summary>
internal static class GovernanceRows
{
    /// <summary>The columns <see cref="Agent"/> reads, in its order.</summary>
    public const string AgentColumns =
        "tenant_id, workflow, node_id, agent_id, did, public_key, capabilities, created_at, revoked_at, revoked_reason";

    /// <summary>An agent from its stored values (times in unix milliseconds).</summary>
    public static AgentIdentity Agent(string tenantId, string workflow, string nodeId, string agentId, string did, byte[] publicKey,
        string capabilities, long createdAt, long? revokedAt, string? revokedReason) =>
        new(tenantId, workflow, nodeId, agentId, did, publicKey, ReadCapabilities(capabilities),
            DateTimeOffset.FromUnixTimeMilliseconds(createdAt), revokedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
            revokedReason);

    /// <summary>Capabilities as stored: a JSON array of strings, in the declared order (so equal lists store equal text).</summary>
    public static string CapabilitiesJson(IReadOnlyList<string> capabilities)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var capability in capabilities)
            {
                writer.WriteStringValue(capability);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The first whole millisecond at or after <paramref name="since"/>: records are stamped in whole milliseconds, so
    /// one made before <paramref name="since"/> is never counted.
    /// </summary>
    public static long FirstMillisecond(DateTimeOffset since)
    {
        var ticks = since.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;

        // Integer division truncates toward zero, which is already the ceiling for times before 1970.
        return ticks / TimeSpan.TicksPerMillisecond + (ticks % TimeSpan.TicksPerMillisecond > 0 ? 1 : 0);
    }

    /// <summary>Checks a registration candidate.</summary>
    /// <exception cref="ArgumentException">It is incomplete, revoked, or its DID is not the did:key of its public key.</exception>
    public static void Validate(AgentIdentity candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var problem = candidate switch
        {
            _ when string.IsNullOrEmpty(candidate.TenantId) || string.IsNullOrEmpty(candidate.Workflow) || string.IsNullOrEmpty(candidate.NodeId)
                || string.IsNullOrEmpty(candidate.AgentId) => "an agent needs a tenant, a workflow, a node and a name",
            { PublicKey: null } or { Capabilities: null } => "an agent needs a public key and a list of capabilities",
            _ when candidate.Capabilities.Any(string.IsNullOrEmpty) => "a capability is a tool name, never empty",
            { IsRevoked: true } or { RevokedReason: not null } => "a candidate is registered unrevoked (revoke it with RevokeAgentAsync)",
            _ => DidProblem(candidate),
        };
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(candidate));
        }
    }

    // The DID names the agent in every record it produces, so it must be the did:key of the key stored with it.
    private static string? DidProblem(AgentIdentity candidate) =>
        !DidKey.TryParse(candidate.Did, out var key, out var error) ? $"the agent's DID is not a did:key: {error}"
        : !key.AsSpan().SequenceEqual(candidate.PublicKey) ? "the agent's DID is not the did:key of its public key"
        : null;

    /// <summary>Checks a tenant and a DID.</summary>
    public static void ValidateAgentKey(string tenantId, string did)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(did);
    }

    /// <summary>Checks a policy: any JSON value.</summary>
    public static void ValidatePolicy(string tenantId, string policyJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(policyJson);
        try
        {
            using var document = JsonDocument.Parse(policyJson);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"the policy is not JSON: {ex.Message}", nameof(policyJson), ex);
        }
    }

    private static string[] ReadCapabilities(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(element => element.GetString()!)];
    }
}
