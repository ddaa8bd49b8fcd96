using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFlow.AppHost.Tests.Support;

/// <summary>
/// The worker replicas of a booted AppHost, as its app model reports them: which run, and the means for a test to
/// kill one and to start the killed ones again, so the next test finds the topology whole.
/// </summary>
public sealed class WorkerReplicas
{
    private readonly ConcurrentDictionary<string, string> _states = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _allRunning = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IServiceProvider _services;

    private WorkerReplicas(IServiceProvider services, int count)
    {
        _services = services;
        Count = count;
    }

    /// <summary>How many replicas the AppHost runs.</summary>
    public int Count { get; }

    /// <summary>The ids of the replicas that are Running now.</summary>
    public IReadOnlyCollection<string> Running =>
        [.. _states.Where(replica => replica.Value == KnownResourceStates.Running).Select(replica => replica.Key)];

    /// <summary>Completes the first time every replica runs.</summary>
    public Task AllRunning => _allRunning.Task;

    /// <summary>Follows the replicas of <paramref name="app"/>'s <c>worker</c> resource until <paramref name="cancellationToken"/> fires.</summary>
    public static WorkerReplicas Watch(DistributedApplication app, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var replicas = new WorkerReplicas(app.Services, count);
        _ = replicas.WatchAsync(app.Services.GetRequiredService<ResourceNotificationService>(), cancellationToken);
        return replicas;
    }

    /// <summary>Kills worker process <paramref name="processId"/> and waits until the app model sees its replica stop.</summary>
    public async Task KillAsync(int processId, CancellationToken cancellationToken)
    {
        using (var worker = Process.GetProcessById(processId))
        {
            worker.Kill();
            await worker.WaitForExitAsync(cancellationToken).WaitAsync(TestTimeouts.Default, cancellationToken).ConfigureAwait(false);
        }

        await WaitUntilAsync(running => running < Count, "a replica to stop", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts every replica that stopped (a test killed it) and waits until all run: a test that needs a worker to
    /// outlive the one it kills calls this first, and one that kills a worker calls it when done.
    /// </summary>
    public async Task EnsureAllRunningAsync(CancellationToken cancellationToken)
    {
        var commands = _services.GetRequiredService<ResourceCommandService>();
        foreach (var (replica, _) in _states.Where(replica => KnownResourceStates.TerminalStates.Contains(replica.Value)))
        {
            var started = await commands.ExecuteCommandAsync(replica, KnownResourceCommands.StartCommand, cancellationToken)
                .WaitAsync(TestTimeouts.Default, cancellationToken).ConfigureAwait(false);
            if (!started.Success)
            {
                throw new InvalidOperationException($"Starting worker replica {replica} failed: {started.Message}");
            }
        }

        await WaitUntilAsync(running => running >= Count, $"{Count} running replicas", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each replica's state, for a failure message.</summary>
    public override string ToString() => string.Join(", ", _states.Select(replica => $"{replica.Key}={replica.Value}"));

    private async Task WaitUntilAsync(Func<int, bool> until, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestTimeouts.Run);
        try
        {
            while (!until(Running.Count))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Waited {TestTimeouts.Run.TotalSeconds:0} s for {what}; worker replicas: {this}");
        }
    }

    private async Task WatchAsync(ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                if (update.Resource.Name != "worker" || update.Snapshot.State?.Text is not { } state)
                {
                    continue;
                }

                _states[update.ResourceId] = state;
                if (Running.Count >= Count)
                {
                    _allRunning.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The AppHost is being disposed.
        }
    }
}
