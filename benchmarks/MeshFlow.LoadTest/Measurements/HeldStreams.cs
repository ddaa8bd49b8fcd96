using System.Collections.Concurrent;
using MeshFlow.LoadTest.Client;

namespace MeshFlow.LoadTest.Measurements;

/// <summary>
/// One <c>GET /runs/{id}/events</c> SSE stream per run, each read (so the api never blocks on a full socket) until its
/// <c>run_end</c>: the streams an SSE client keeps open while its runs are in flight or queued.
/// </summary>
internal sealed class HeldStreams
{
    private const int OpeningAtOnce = 64;

    private readonly List<Task<string?>> _reading;
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly CancellationTokenSource _abort;
    private int _open;
    private int _failed;

    private HeldStreams(LoadClient client, IReadOnlyList<string> runIds, CancellationToken cancellationToken)
    {
        _abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var opening = new SemaphoreSlim(OpeningAtOnce);
        var opened = 0;
        var allOpened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _reading = [.. runIds.Select(runId => Task.Run(async () =>
        {
            HttpResponseMessage? response = null;
            await opening.WaitAsync(_abort.Token);
            try
            {
                response = await client.OpenEventsAsync(runId, ndjson: false, _abort.Token);
                Interlocked.Increment(ref _open);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                Interlocked.Increment(ref _failed);
                _failures.Enqueue(e.Message);
            }
            finally
            {
                opening.Release();
                if (Interlocked.Increment(ref opened) == runIds.Count)
                {
                    allOpened.TrySetResult();
                }
            }

            if (response is null)
            {
                return null;
            }

            using (response)
            {
                try
                {
                    await using var body = await response.Content.ReadAsStreamAsync(_abort.Token);
                    return (await EventStreamReader.ReadToRunEndAsync(body, null, _abort.Token))?.Status ?? "no run_end";
                }
                catch (OperationCanceledException)
                {
                    return "no run_end before the wait ended";
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    return "stream cut";
                }
                finally
                {
                    Interlocked.Decrement(ref _open);
                }
            }
        }, cancellationToken))];
        Opened = allOpened.Task;
    }

    /// <summary>Completes once every stream has its response headers (or failed to get them).</summary>
    public Task Opened { get; }

    /// <summary>Streams whose headers arrived and whose body has not ended.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Streams the api refused or that failed to connect.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Why they failed, one message per stream.</summary>
    public IReadOnlyCollection<string> Failures => _failures;

    public static HeldStreams Start(LoadClient client, IReadOnlyList<string> runIds, CancellationToken cancellationToken) =>
        new(client, runIds, cancellationToken);

    /// <summary>Each stream's ending (the run's final status), once they end; after <paramref name="timeout"/> the rest are aborted.</summary>
    public async Task<string?[]> EndAsync(TimeSpan timeout)
    {
        _abort.CancelAfter(timeout);
        try
        {
            return await Task.WhenAll(_reading);
        }
        finally
        {
            _abort.Dispose();
        }
    }
}
