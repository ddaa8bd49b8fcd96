using System.Globalization;
using MeshFlow.Governance.Uncertainty;
using MeshFlow.Workflows;

namespace MeshFlow.Governance;

/// <summary>
/// Scores every agent step's uncertainty in [0, 1]: from the provider's token log-probabilities when it returned
/// them, otherwise from the text (<see cref="UncertaintyEstimator.FromText"/>: hedging, refusals, contradicting the
/// step's own previous output in a loop). A score above the policy's <c>uncertainty_threshold</c> is escalated.
/// </summary>
public sealed class UncertaintyCheck : IStepCheck
{
    /// <summary>The shared instance; the check keeps no state of its own.</summary>
    public static UncertaintyCheck Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "uncertainty";

    /// <inheritdoc />
    public ValueTask<StepVerdict> BeforeStepAsync(StepCheckContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(StepVerdict.Commit);

    /// <inheritdoc />
    public ValueTask<StepVerdict> AfterStepAsync(StepCheckContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        if (context.Node is not AgentNode)
        {
            return ValueTask.FromResult(StepVerdict.Commit);
        }

        var estimate = UncertaintyEstimator.Estimate(outcome.Output, context.PreviousOutput, context.TokenLogProbabilities);
        context.RecordUncertainty(estimate.Score, new UncertaintyFinding(estimate.Source, estimate.Signals));
        var threshold = context.Policy.UncertaintyThreshold;
        if (estimate.Score <= threshold)
        {
            return ValueTask.FromResult(StepVerdict.Commit);
        }

        var signals = estimate.Signals.Count > 0 ? $" ({string.Join(", ", estimate.Signals)})" : string.Empty;
        return ValueTask.FromResult(StepVerdict.Escalate(BlockReason.Uncertainty, string.Create(CultureInfo.InvariantCulture,
            $"uncertainty {estimate.Score:0.00} from {estimate.Source}{signals} is above the policy's threshold of {threshold:0.00}")));
    }
}
