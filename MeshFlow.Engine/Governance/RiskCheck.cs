using MeshFlow.Governance.Risk;
using MeshFlow.Workflows;

namespace MeshFlow.Governance;

/// <summary>
/// Rates every action (DASC): a node's own call from its declared risk, a tool call from the tool's declared risk
/// (the policy's <c>risk</c> map overrides it) raised by its arguments (<see cref="RiskRules"/>). Critical is
/// blocked; a tier at or above the policy's <c>risk_threshold</c> is escalated to a human. The highest tier of the
/// step and the rule that set it go into its record and events.
/// </summary>
public sealed class RiskCheck(RiskRuleOptions? options = null) : IStepCheck
{
    private readonly RiskRuleOptions _options = options ?? RiskRuleOptions.Default;

    /// <summary>The shared instance, with the default rule options.</summary>
    public static RiskCheck Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "risk";

    /// <inheritdoc />
    public ValueTask<StepVerdict> BeforeStepAsync(StepCheckContext context, CancellationToken cancellationToken)
    {
        if (context.Node is null or ToolNode)
        {
            // A tool node's only action is its tool call, rated before it runs.
            return ValueTask.FromResult(StepVerdict.Commit);
        }

        var assessment = RiskRules.AssessModelCall(context.Node.Risk);
        return ValueTask.FromResult(Judge(context, assessment, context.Node is AgentNode ? ModelAction : NodeAction));
    }

    /// <inheritdoc />
    public ValueTask<StepVerdict> BeforeToolCallAsync(StepCheckContext context, ToolCallRequest toolCall, CancellationToken cancellationToken)
    {
        var declared = toolCall.Tool is { } tool ? ToolRisk.DeclaredBy(tool) : null;
        var assessment = RiskRules.AssessTool(toolCall.Name, declared, context.Policy.Risk, toolCall.Arguments, _options);
        if (context.Node is ToolNode { Risk: var nodeRisk } node && nodeRisk > assessment.Tier)
        {
            // A tool node's author may rate its one call higher than the tool rates itself.
            assessment = new RiskAssessment(nodeRisk, RiskRuleIds.Declared, $"node '{node.Id}' declares its call {Tier(nodeRisk)}");
        }

        return ValueTask.FromResult(Judge(context, assessment, toolCall.Name, toolCall.CallId));
    }

    /// <inheritdoc />
    public ValueTask<StepVerdict> AfterStepAsync(StepCheckContext context, StepOutcome outcome, CancellationToken cancellationToken) =>
        ValueTask.FromResult(StepVerdict.Commit);

    private static StepVerdict Judge(StepCheckContext context, RiskAssessment assessment, string action, string? callId = null)
    {
        var finding = new RiskFinding(assessment.Tier, assessment.Rule, action, assessment.Detail);
        context.RecordRisk(finding);
        if (callId is not null)
        {
            // Each call's own tier goes into its record, beside the step's highest.
            context.RecordToolCallRisk(callId, finding);
        }

        if (assessment.Tier == RiskTier.Critical)
        {
            return StepVerdict.Block(BlockReason.Dasc, $"{Describe(action)} is critical ({assessment.Rule}): {assessment.Detail}");
        }

        return context.Policy.ApprovalThreshold is { } threshold && assessment.Tier >= threshold
            ? StepVerdict.Escalate(BlockReason.Dasc,
                $"{Describe(action)} is {Tier(assessment.Tier)} ({assessment.Rule}), at or above the policy's risk threshold ({Tier(threshold)}): {assessment.Detail}")
            : StepVerdict.Commit;
    }

    private const string ModelAction = "model";
    private const string NodeAction = "node";

    private static string Describe(string action) => action switch
    {
        ModelAction => "the model call",
        NodeAction => "the node's call",
        _ => $"tool call '{action}'",
    };

    private static string Tier(RiskTier tier) => RiskTiers.Name(tier);
}
