using Microsoft.Extensions.Hosting;

namespace MeshFlow.LoadTest.Topology;

/// <summary>
/// The AppHost's lifetime inside the load test: it does not listen for Ctrl+C or SIGTERM (the console lifetime
/// would start stopping the app on its own, racing the load test's own orderly stop); the load test stops it.
/// </summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
