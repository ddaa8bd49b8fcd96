namespace MeshFlow.Observability.Metrics;

/// <summary>
/// The labels on MeshFlow's metrics. Every value is bounded: statuses, reasons and outcomes are fixed sets, providers
/// and models come from the model catalog (capped), agents and workers are capped or expire. No tenant, run or user
/// text is ever a label.
/// </summary>
public static class MetricTags
{
    public const string Status = "status";
    public const string Provider = "provider";
    public const string Model = "model";
    public const string Direction = "direction";
    public const string Reason = "reason";
    public const string AgentId = "agent_id";
    public const string Worker = "worker";
    public const string Outcome = "outcome";

    /// <summary>The <see cref="Direction"/> of prompt tokens.</summary>
    public const string Input = "input";

    /// <summary>The <see cref="Direction"/> of completion tokens.</summary>
    public const string Output = "output";

    /// <summary>The value that stands in for a label value past its cap.</summary>
    public const string Other = "other";

    /// <summary>The <see cref="Provider"/> and <see cref="Model"/> of a step that called no model.</summary>
    public const string None = "none";
}
