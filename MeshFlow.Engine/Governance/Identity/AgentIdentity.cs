using System.Text.Json.Serialization;

namespace MeshFlow.Governance.Identity;

/// <summary>
/// The identity of one agent of a tenant's workflow: the <c>did:key</c> that names it in every ledger record it
/// produces, the tools it may call, and whether (and why) it was revoked.
/// </summary>
/// <remarks>Equality compares <see cref="PublicKey"/> and <see cref="Capabilities"/> by content, in order.</remarks>
/// <param name="TenantId">The tenant the agent belongs to.</param>
/// <param name="Workflow">The workflow that declares the agent.</param>
/// <param name="NodeId">The workflow node the agent runs as.</param>
/// <param name="AgentId">The agent's name (the ledger's <c>agent_id</c>, e.g. <c>writer</c>).</param>
/// <param name="Did">The agent's <c>did:key</c> DID (<see cref="DidKey"/>).</param>
/// <param name="PublicKey">The raw 32-byte Ed25519 public key the DID encodes.</param>
/// <param name="Capabilities">The names of the tools the agent may call.</param>
/// <param name="CreatedAt">When the identity was first registered.</param>
/// <param name="RevokedAt">When the identity was revoked, or null while it stands.</param>
/// <param name="RevokedReason">Why the identity was revoked, or null while it stands.</param>
public sealed record AgentIdentity(
    [property: JsonPropertyName("tenant_id")] string TenantId,
    [property: JsonPropertyName("workflow")] string Workflow,
    [property: JsonPropertyName("node_id")] string NodeId,
    [property: JsonPropertyName("agent_id")] string AgentId,
    [property: JsonPropertyName("did")] string Did,
    [property: JsonPropertyName("public_key")] byte[] PublicKey,
    [property: JsonPropertyName("capabilities")] IReadOnlyList<string> Capabilities,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("revoked_at")] DateTimeOffset? RevokedAt = null,
    [property: JsonPropertyName("revoked_reason")] string? RevokedReason = null)
{
    /// <summary>True once the identity has been revoked: the agent may no longer act.</summary>
    [JsonIgnore]
    public bool IsRevoked => RevokedAt is not null;

    /// <inheritdoc />
    public bool Equals(AgentIdentity? other) =>
        other is not null
        && string.Equals(TenantId, other.TenantId, StringComparison.Ordinal)
        && string.Equals(Workflow, other.Workflow, StringComparison.Ordinal)
        && string.Equals(NodeId, other.NodeId, StringComparison.Ordinal)
        && string.Equals(AgentId, other.AgentId, StringComparison.Ordinal)
        && string.Equals(Did, other.Did, StringComparison.Ordinal)
        && PublicKey.AsSpan().SequenceEqual(other.PublicKey)
        && Capabilities.SequenceEqual(other.Capabilities, StringComparer.Ordinal)
        && CreatedAt == other.CreatedAt
        && RevokedAt == other.RevokedAt
        && string.Equals(RevokedReason, other.RevokedReason, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(TenantId, Workflow, NodeId, Did, CreatedAt, RevokedAt);
}
