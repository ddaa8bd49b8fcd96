using MeshFlow.Governance.Collusion;
using MeshFlow.Workflows;

namespace MeshFlow.Governance;

/// <summary>
/// The collusion audit, when the policy turns it on (<c>collusion_audit</c>): each finished step is put beside what the
/// run's agents did before it (<see cref="CollusionAuditor"/>): a critic that echoes what it approves, agents that
/// approve each other in a ring without changes, a forbidden action split between agents. Each finding becomes a
/// ledger record of its own after the step's; with <c>on_finding: escalate</c> the step also waits for a human, with
/// reason <see cref="BlockReason.Guardian"/>.
/// </summary>
public sealed class CollusionCheck : IStepCheck
{
    /// <summary>The shared instance; what it remembers of a run is kept on the run (<see cref="StepCheckContext.Audit"/>).</summary>
    public static CollusionCheck Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "collusion_audit";

    /// <inheritdoc />
    public ValueTask<StepVerdict> BeforeStepAsync(StepCheckContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(StepVerdict.Commit);

    /// <inheritdoc />
    public ValueTask<StepVerdict> AfterStepAsync(StepCheckContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var policy = context.Policy.CollusionAudit;
        if (!policy.Enabled || context.Node is not { } node)
        {
            return ValueTask.FromResult(StepVerdict.Commit);
        }

        var findings = context.Audit.Collusion.Observe(new CollusionStep
        {
            StepId = context.StepId, NodeId = node.Id, AgentId = (node as AgentNode)?.AgentId, Role = node.Role,
            Output = outcome.Output, ToolCalls = outcome.ToolCalls, Capabilities = context.Capabilities,
            Inputs = [.. context.Inputs.Select(input => new CollusionInput(input.NodeId, context.Audit.LastStepOf(input.NodeId), context.Audit.AgentOf(input.NodeId), input.Output))],
        });
        context.Audit.Finished(node.Id, context.StepId, (node as AgentNode)?.AgentId);
        if (findings.Count == 0)
        {
            return ValueTask.FromResult(StepVerdict.Commit);
        }

        foreach (var finding in findings)
        {
            context.RecordCollusion(finding);
        }

        return ValueTask.FromResult(policy.OnFinding == CollusionAction.Escalate
            ? StepVerdict.Escalate(BlockReason.Guardian,
                $"collusion audit: {string.Join("; ", findings.Select(f => $"{f.Pattern} ({string.Join(", ", f.Agents)}): {f.Detail}"))}")
            : StepVerdict.Commit);
    }
}
