using Aspire.Hosting.ApplicationModel;

namespace MeshFlow.LoadTest.Topology;

/// <summary>
/// Every resource's log (postgres, redis, api, each worker replica, ...) written to one file as it comes, each line
/// prefixed with the resource id: what the services said while the load ran, without burying the figures.
/// </summary>
internal sealed class ServiceLogFile : IAsyncDisposable
{
    private readonly StreamWriter _writer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly HashSet<string> _watched = new(StringComparer.Ordinal);
    private readonly List<Task> _watching = [];

    // Appended to: a second topology of the same load test (sse-memory runs on its own) adds to the file.
    private ServiceLogFile(string path) => _writer = new StreamWriter(path, append: true) { AutoFlush = true };

    /// <summary>Starts following the logs of each resource as it appears.</summary>
    public static ServiceLogFile Start(string path, ResourceNotificationService notifications, ResourceLoggerService logs)
    {
        var file = new ServiceLogFile(path);
        file._watching.Add(file.FollowResourcesAsync(notifications, logs));
        return file;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Task[] watching;
        lock (_gate)
        {
            watching = [.. _watching];
        }

        await Task.WhenAll(watching).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _writer.DisposeAsync();
        _stop.Dispose();
    }

    private async Task FollowResourcesAsync(ResourceNotificationService notifications, ResourceLoggerService logs)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(_stop.Token))
            {
                lock (_gate)
                {
                    if (_watched.Add(update.ResourceId))
                    {
                        _watching.Add(FollowAsync(logs, update.ResourceId));
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task FollowAsync(ResourceLoggerService logs, string resourceId)
    {
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(_stop.Token))
            {
                lock (_gate)
                {
                    foreach (var line in batch)
                    {
                        _writer.WriteLine($"{resourceId}{(line.IsErrorMessage ? " !" : string.Empty)} | {line.Content}");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
