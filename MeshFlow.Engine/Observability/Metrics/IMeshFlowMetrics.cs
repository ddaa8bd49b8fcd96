using MeshFlow.Runs;

namespace MeshFlow.Observability.Metrics;

/// <summary>
/// Where the engine reports the facts its metrics are made of, at the points that know them: a step's end, a run's
/// end, a ledger commit, a webhook attempt, a run taken or let go by a worker.
/// </summary>
/// <remarks>
/// Calls are cheap, never block on I/O and never throw: they run on the engine's hot path. Values passed as labels
/// must be bounded (catalog names, fixed reasons); implementations cap them anyway.
/// </remarks>
public interface IMeshFlowMetrics
{
    /// <summary>A run ended (any status but <see cref="RunStatus.Paused"/>) after executing for <paramref name="duration"/>.</summary>
    void RunEnded(RunStatus status, TimeSpan duration);

    /// <summary>A step finished, committed or blocked.</summary>
    void StepEnded(StepMeasurement measurement);

    /// <summary>A step recorded earlier was settled blocked when the run resumed (a rejected approval).</summary>
    void StepBlocked(Governance.BlockReason reason);

    /// <summary>A ledger append committed in <paramref name="duration"/>.</summary>
    void LedgerCommitted(TimeSpan duration);

    /// <summary>A webhook delivery attempt ended with <paramref name="outcome"/> (<see cref="WebhookDeliveryOutcomes"/>).</summary>
    void WebhookDelivery(string outcome);

    /// <summary><paramref name="worker"/> took (+1) or let go (-1) a run.</summary>
    void RunInFlight(string worker, int delta);
}
