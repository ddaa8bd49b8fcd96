using Microsoft.Extensions.Hosting;

namespace MeshFlow.AppHost.Infrastructure.Postgres;

/// <summary>Stops every local PostgreSQL server cleanly when the AppHost stops, before DCP signals the processes.</summary>
public sealed class LocalPostgresShutdown(DistributedApplicationModel model, ResourceLoggerService resourceLoggers) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(model.Resources
            .OfType<LocalPostgresServerResource>()
            .Select(server => LocalPostgresSetup.StopAsync(server, resourceLoggers.GetLogger(server), cancellationToken)));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
