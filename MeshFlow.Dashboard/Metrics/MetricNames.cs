namespace MeshFlow.Dashboard.Metrics;

/// <summary>The API's metric names and labels the overview reads.</summary>
public static class MetricNames
{
    public const string Runs = "meshflow_runs_total";

    public const string Blocks = "meshflow_blocks_total";

    public const string Tokens = "meshflow_tokens_total";

    public const string Cost = "meshflow_cost_usd_total";

    public const string HitlPending = "meshflow_hitl_pending";
}
