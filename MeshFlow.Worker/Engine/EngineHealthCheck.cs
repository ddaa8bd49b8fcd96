using MeshFlow.Execution;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Workflows;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MeshFlow.Worker.Engine;

/// <summary>
/// The worker is healthy when its engine can run a workflow and its ledger answers: a one-step run on the offline
/// model, end to end, on an engine of its own (a probe is not an audited run, so it writes nothing to the ledger);
/// resolving the worker's engine proves its configuration (the LLM connection string parses); and a ledger read.
/// </summary>
public sealed class EngineHealthCheck(MeshFlowEngine workerEngine, ILedgerStore ledger) : IHealthCheck
{
    private readonly MeshFlowEngine _probeEngine = new(new MeshFlowEngineOptions { TimeProvider = workerEngine.TimeProvider });

    private static readonly Workflow Probe = new WorkflowBuilder("health-probe")
        .AddAgent("probe", "Reply with anything.", model: "offline")
        .Build();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await ledger.ReadRunAsync("health", "probe", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"the ledger does not answer: {ex.Message}");
        }

        var result = await _probeEngine.RunAsync(Probe, "ping", cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.Status == RunStatus.Completed
            ? HealthCheckResult.Healthy($"engine ran a probe workflow in {(result.EndedAt - result.StartedAt).TotalMilliseconds:F1} ms")
            : HealthCheckResult.Unhealthy($"engine probe ended {result.Status}: {result.Error?.Message}");
    }
}
