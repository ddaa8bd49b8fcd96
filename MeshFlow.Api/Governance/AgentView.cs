using System.Text.Json.Serialization;
using MeshFlow.Governance.Identity;

namespace MeshFlow.Api.Governance;

/// <summary>An agent as <c>GET /agents</c> shows it: its identity, capabilities and standing; never a key's private part.</summary>
public sealed record AgentView(
    [property: JsonPropertyName("did")] string Did,
    [property: JsonPropertyName("agent_id")] string AgentId,
    [property: JsonPropertyName("workflow")] string Workflow,
    [property: JsonPropertyName("node_id")] string NodeId,
    [property: JsonPropertyName("capabilities")] IReadOnlyList<string> Capabilities,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("revoked")] bool Revoked,
    [property: JsonPropertyName("revoked_at")] DateTimeOffset? RevokedAt,
    [property: JsonPropertyName("revoked_reason")] string? RevokedReason)
{
    /// <summary>The view of an identity.</summary>
    public static AgentView Of(AgentIdentity agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new(agent.Did, agent.AgentId, agent.Workflow, agent.NodeId, agent.Capabilities, agent.CreatedAt, agent.IsRevoked,
            agent.RevokedAt, agent.RevokedReason);
    }
}

/// <summary>The tenant's agents.</summary>
public sealed record AgentList([property: JsonPropertyName("agents")] IReadOnlyList<AgentView> Agents);

/// <summary>The body of <c>POST /admin/agents/{did}/revoke</c>.</summary>
public sealed record RevokeAgentRequest([property: JsonPropertyName("reason")] string Reason);
