using System.Globalization;

namespace MeshFlow.Governance;

/// <summary>
/// Enforces the policy's <see cref="Policy.MaxSteps"/>, <see cref="Policy.MaxTokens"/> and
/// <see cref="Policy.MaxCostUsd"/>: before a call with what remains, after it with what the call spent.
/// </summary>
public sealed class BudgetCheck : IStepCheck
{
    /// <summary>The shared instance; the check keeps no state of its own.</summary>
    public static BudgetCheck Instance { get; } = new();

    /// <inheritdoc />
    public ValueTask<StepVerdict> BeforeStepAsync(StepCheckContext context, CancellationToken cancellationToken)
    {
        var policy = context.Policy;
        if (!context.Budget.TryReserveStep(policy.MaxSteps))
        {
            return Blocked($"MaxSteps ({policy.MaxSteps}) reached");
        }

        return ValueTask.FromResult(OverSpend(context.Budget, policy, nothingLeftAtLimit: true));
    }

    /// <inheritdoc />
    public ValueTask<StepVerdict> AfterStepAsync(StepCheckContext context, StepOutcome outcome, CancellationToken cancellationToken) =>
        ValueTask.FromResult(OverSpend(context.Budget, context.Policy, nothingLeftAtLimit: false));

    // Before a call, a budget exactly spent leaves nothing to call with; after it, only going over the limit blocks.
    private static StepVerdict OverSpend(RunBudget budget, Policy policy, bool nothingLeftAtLimit)
    {
        if (policy.MaxTokens > 0)
        {
            var used = budget.Tokens.Total;
            if (used > policy.MaxTokens || (nothingLeftAtLimit && used == policy.MaxTokens))
            {
                return StepVerdict.Block(BlockReason.Budget, string.Create(
                    CultureInfo.InvariantCulture, $"MaxTokens ({policy.MaxTokens}) reached: {used} tokens used"));
            }
        }

        if (policy.MaxCostUsd > 0)
        {
            var spent = budget.CostUsd;
            if (spent > policy.MaxCostUsd || (nothingLeftAtLimit && spent == policy.MaxCostUsd))
            {
                return StepVerdict.Block(BlockReason.Budget, string.Create(
                    CultureInfo.InvariantCulture, $"MaxCostUsd ({policy.MaxCostUsd}) reached: ${spent} spent"));
            }
        }

        return StepVerdict.Commit;
    }

    private static ValueTask<StepVerdict> Blocked(string detail) =>
        ValueTask.FromResult(StepVerdict.Block(BlockReason.Budget, detail));
}
