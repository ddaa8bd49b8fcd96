using MeshFlow.Governance;

namespace MeshFlow.Observability.Metrics;

/// <summary>What a finished step contributes to the metrics.</summary>
/// <param name="Provider">The provider of the model that answered (from the catalog), or null for a step without a model.</param>
/// <param name="Model">The model that answered (from the catalog), or null.</param>
/// <param name="InputTokens">Prompt tokens.</param>
/// <param name="OutputTokens">Completion tokens.</param>
/// <param name="CostUsd">What the step cost.</param>
/// <param name="BlockReason">Why the step was blocked, or null when it was not.</param>
/// <param name="AgentId">The agent that ran the step (from the workflow definition), or null.</param>
/// <param name="Uncertainty">The step's uncertainty score, or null when none was taken.</param>
public readonly record struct StepMeasurement(
    string? Provider,
    string? Model,
    long InputTokens,
    long OutputTokens,
    decimal CostUsd,
    BlockReason? BlockReason,
    string? AgentId,
    double? Uncertainty);
