
namespace MeshFlow.Governance;

/// <summary>
/// The agent may act: it is not revoked (read fresh from the store at every step, so a revocation on any worker
/// stops the agent at its next step), and every tool it calls is among its capabilities (the tools it declares,
/// within the policy's <c>allowed_tools</c>). A refused tool never runs.
/// </summary>
public sealed class IdentityCheck : IStepCheck
{
    /// <summary>The shared instance; the check keeps no state of its own.</summary>
    public static IdentityCheck Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "identity";

    /// <inheritdoc />
    public ValueTask<StepVerdict> BeforeStepAsync(StepCheckContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(context.Agent is { IsRevoked: true } agent
            ? StepVerdict.Block(BlockReason.Identity,
                $"agent '{agent.AgentId}' ({agent.Did}) was revoked at {agent.RevokedAt:O}: {agent.RevokedReason}")
            : StepVerdict.Commit);

    /// <inheritdoc />
    public ValueTask<StepVerdict> BeforeToolCallAsync(StepCheckContext context, ToolCallRequest toolCall, CancellationToken cancellationToken)
    {
        if (context.Capabilities is not { } capabilities || capabilities.Contains(toolCall.Name))
        {
            return ValueTask.FromResult(StepVerdict.Commit);
        }

        var who = context.Agent is { } agent ? $"agent '{agent.AgentId}' ({agent.Did})" : $"node '{context.NodeId}'";
        var allowed = capabilities.Count == 0 ? "none" : string.Join(", ", capabilities.Order(StringComparer.Ordinal));
        return ValueTask.FromResult(StepVerdict.Block(BlockReason.Identity,
            $"tool '{toolCall.Name}' is not among the capabilities of {who} ({allowed}); it was not run"));
    }

    /// <inheritdoc />
    public ValueTask<StepVerdict> AfterStepAsync(StepCheckContext context, StepOutcome outcome, CancellationToken cancellationToken) =>
        ValueTask.FromResult(StepVerdict.Commit);

    /// <summary>An agent's capabilities: the tools it declares, within the policy's list when the policy has one.</summary>
    public static IReadOnlyList<string> CapabilitiesOf(IEnumerable<string> declared, Policy policy)
    {
        ArgumentNullException.ThrowIfNull(declared);
        ArgumentNullException.ThrowIfNull(policy);
        var tools = declared.Distinct(StringComparer.Ordinal);
        if (policy.AllowedTools.Count > 0)
        {
            tools = tools.Where(t => policy.AllowedTools.Contains(t, StringComparer.Ordinal));
        }

        return [.. tools.Order(StringComparer.Ordinal)];
    }
}
