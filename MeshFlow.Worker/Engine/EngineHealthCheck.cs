using MeshFlow.Execution;
using MeshFlow.Workflows;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MeshFlow.Worker.Engine;

/// <summary>
/// The worker is healthy when its engine can run a workflow: a one-step run on the offline model, end to end.
/// It proves the engine's configuration (the LLM connection string parses) and its scheduler both work.
/// </summary>
public sealed class EngineHealthCheck(MeshFlowEngine engine) : IHealthCheck
{
    private static readonly Workflow Probe = new WorkflowBuilder("health-probe")
        .AddAgent("probe", "Reply with anything.", model: "offline")
        .Build();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = await engine.RunAsync(Probe, "ping", cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.Status == RunStatus.Completed
            ? HealthCheckResult.Healthy($"engine ran a probe workflow in {(result.EndedAt - result.StartedAt).TotalMilliseconds:F1} ms")
            : HealthCheckResult.Unhealthy($"engine probe ended {result.Status}: {result.Error?.Message}");
    }
}
