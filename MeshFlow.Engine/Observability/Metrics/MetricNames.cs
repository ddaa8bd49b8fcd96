namespace MeshFlow.Observability.Metrics;

/// <summary>
/// The instrument names and units of MeshFlow's metrics, chosen so that the Prometheus exporter (which turns dots into
/// underscores, adds <c>_total</c> to counters and a unit suffix such as <c>_seconds</c>) serves the names in the
/// comments.
/// </summary>
public static class MetricNames
{
    /// <summary>Runs that ended, by status: <c>meshflow_runs_total</c>.</summary>
    public const string Runs = "meshflow.runs";

    /// <summary>How long ended runs executed, by status: <c>meshflow_run_duration_seconds</c>.</summary>
    public const string RunDuration = "meshflow.run.duration";

    /// <summary>Tokens by provider, model and direction: <c>meshflow_tokens_total</c>.</summary>
    public const string Tokens = "meshflow.tokens";

    /// <summary>Spend in US dollars by provider and model: <c>meshflow_cost_usd_total</c>.</summary>
    public const string CostUsd = "meshflow.cost_usd";

    /// <summary>Blocked steps by reason: <c>meshflow_blocks_total</c>.</summary>
    public const string Blocks = "meshflow.blocks";

    /// <summary>Pending approvals of every tenant: <c>meshflow_hitl_pending</c>.</summary>
    public const string HitlPending = "meshflow.hitl_pending";

    /// <summary>The last uncertainty score of each recently active agent: <c>meshflow_uncertainty_score</c>.</summary>
    public const string UncertaintyScore = "meshflow.uncertainty_score";

    /// <summary>Runs waiting on the queue for a worker: <c>meshflow_queue_depth</c>.</summary>
    public const string QueueDepth = "meshflow.queue_depth";

    /// <summary>Runs executing, by worker: <c>meshflow_runs_in_flight</c>.</summary>
    public const string RunsInFlight = "meshflow.runs_in_flight";

    /// <summary>How long a ledger append took to commit: <c>meshflow_ledger_commit_duration_seconds</c>.</summary>
    public const string LedgerCommitDuration = "meshflow.ledger.commit.duration";

    /// <summary>Approval webhook delivery attempts by outcome: <c>meshflow_webhook_deliveries_total</c>.</summary>
    public const string WebhookDeliveries = "meshflow.webhook.deliveries";

    /// <summary>The unit of durations; the exporter adds <c>_seconds</c> for it.</summary>
    public const string Seconds = "s";
}
