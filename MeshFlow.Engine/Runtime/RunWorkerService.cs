using Microsoft.Extensions.Hosting;

namespace MeshFlow.Runtime;

/// <summary>Runs a <see cref="RunProcessor"/> for the life of the host: the worker's loop (and the embedded API's).</summary>
public sealed class RunWorkerService(RunProcessor processor) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => processor.RunAsync(stoppingToken);
}
