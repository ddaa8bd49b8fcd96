using MeshFlow.Governance;
using MeshFlow.Runs;

namespace MeshFlow.Observability.Metrics;

/// <summary>Records nothing: an engine built without a host's metrics (a probe, a CLI command, a test) counts nothing.</summary>
internal sealed class NullMeshFlowMetrics : IMeshFlowMetrics
{
    public static NullMeshFlowMetrics Instance { get; } = new();

    public void RunEnded(RunStatus status, TimeSpan duration)
    {
    }

    public void StepEnded(StepMeasurement measurement)
    {
    }

    public void StepBlocked(BlockReason reason)
    {
    }

    public void LedgerCommitted(TimeSpan duration)
    {
    }

    public void WebhookDelivery(string outcome)
    {
    }

    public void RunInFlight(string worker, int delta)
    {
    }
}
