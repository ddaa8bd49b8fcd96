using System.Globalization;

namespace MeshFlow.Governance;

/// <summary>
/// Enforces the policy's budgets: steps, tokens, dollars and wall time per run, tool calls per run, and the tenant's
/// dollars per day. Before a call with what remains (a budget exactly spent leaves nothing to call with), after it
/// with what the call spent.
/// </summary>
public sealed class BudgetCheck : IStepCheck
{
    /// <summary>The shared instance; the check keeps no state of its own.</summary>
    public static BudgetCheck Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "budget";

    /// <inheritdoc />
    public ValueTask<StepVerdict> BeforeStepAsync(StepCheckContext context, CancellationToken cancellationToken)
    {
        var policy = context.Policy;
        if (!context.Budget.TryReserveStep(policy.MaxSteps))
        {
            return Blocked($"MaxSteps ({policy.MaxSteps}) reached");
        }

        if (policy.MaxCostUsd > 0 && context.Model is { } chosen
            && chosen.Fallbacks.Prepend(chosen).FirstOrDefault(m => m is { PriceKnown: false, Connection: not null }) is { Connection: { } connection } model)
        {
            // A dollar budget cannot be held with a provider model whose tokens have no price: it is never treated as
            // free. (A node's own chat client is the host's code; its record says it was unpriced.)
            return Blocked($"model '{model.ModelId}' of '{connection}' has no price, and the policy " +
                $"limits cost (MaxCostUsd {policy.MaxCostUsd.ToString(CultureInfo.InvariantCulture)}): add its price to MESHFLOW_PRICES_FILE or the engine's Pricing");
        }

        return ValueTask.FromResult(OverSpend(context, nothingLeftAtLimit: true));
    }

    /// <inheritdoc />
    public ValueTask<StepVerdict> BeforeToolCallAsync(StepCheckContext context, ToolCallRequest toolCall, CancellationToken cancellationToken)
    {
        var policy = context.Policy;
        if (!context.Budget.TryReserveToolCall(policy.MaxToolCalls))
        {
            return Blocked($"MaxToolCalls ({policy.MaxToolCalls}) reached: tool call '{toolCall.Name}' was not run");
        }

        return ValueTask.FromResult(OverSpend(context, nothingLeftAtLimit: true));
    }

    /// <inheritdoc />
    public ValueTask<StepVerdict> AfterStepAsync(StepCheckContext context, StepOutcome outcome, CancellationToken cancellationToken) =>
        ValueTask.FromResult(OverSpend(context, nothingLeftAtLimit: false));

    private static StepVerdict OverSpend(StepCheckContext context, bool nothingLeftAtLimit)
    {
        var budget = context.Budget;
        var policy = context.Policy;
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

        if (nothingLeftAtLimit && policy.MaxWallTime != Timeout.InfiniteTimeSpan && context.RunStartedAt != default)
        {
            var elapsed = context.Time.GetUtcNow() - context.RunStartedAt;
            if (elapsed >= policy.MaxWallTime)
            {
                return StepVerdict.Block(BlockReason.Budget, string.Create(
                    CultureInfo.InvariantCulture, $"MaxWallTime ({policy.MaxWallTime}) reached: the run has taken {elapsed}"));
            }
        }

        if (nothingLeftAtLimit && policy.MaxDailyCostUsd > 0 && context.TenantSpentToday is { } today && today >= policy.MaxDailyCostUsd)
        {
            return StepVerdict.Block(BlockReason.Budget, string.Create(
                CultureInfo.InvariantCulture, $"the tenant's daily budget (MaxDailyCostUsd {policy.MaxDailyCostUsd}) is spent: ${today} today"));
        }

        return StepVerdict.Commit;
    }

    private static ValueTask<StepVerdict> Blocked(string detail) =>
        ValueTask.FromResult(StepVerdict.Block(BlockReason.Budget, detail));
}
