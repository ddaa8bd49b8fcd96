using MeshFlow.Dashboard.ApiClient;

namespace MeshFlow.Dashboard.Components.RunDetail;

/// <summary>
/// Follows one run's events (<c>GET /runs/{id}/events</c>) on the server side of a circuit until the run ends or the
/// page goes. A dropped connection resumes after the last event seen (<c>Last-Event-ID</c>), so no event is lost or
/// handed over twice; an unreachable API is retried until it answers again.
/// </summary>
/// <param name="api">The signed-in client.</param>
/// <param name="clock">The clock the reconnection delay runs on.</param>
/// <param name="reconnectDelay">How long to wait before reconnecting; <see cref="DefaultReconnectDelay"/> when null.</param>
public sealed class LiveRunFeed(MeshFlowApiClient api, TimeProvider clock, TimeSpan? reconnectDelay = null)
{
    /// <summary>How long to wait before reconnecting after the connection dropped, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultReconnectDelay = TimeSpan.FromSeconds(1);

    /// <summary>The id of the last event handed over; a reconnection resumes after it.</summary>
    public long? LastEventId { get; private set; }

    /// <summary>
    /// Hands every event of <paramref name="runId"/> to <paramref name="onEvent"/> in order, until <c>run_end</c>, a 404
    /// (the run is gone) or <paramref name="cancellationToken"/>.
    /// </summary>
    public async Task FollowAsync(string runId, Func<RunEvent, Task> onEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var item in api.ReadRunEventsAsync(runId, LastEventId, cancellationToken).ConfigureAwait(false))
                {
                    LastEventId = item.Id;
                    await onEvent(item).ConfigureAwait(false);
                    if (item.Kind == "run_end")
                    {
                        return;
                    }
                }
            }
            catch (MeshFlowApiException exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return;
            }
            catch (Exception exception) when (exception is MeshFlowApiException or IOException or HttpRequestException
                && !cancellationToken.IsCancellationRequested)
            {
                // The connection dropped or the API is away: resume after the last event once it is back.
            }

            try
            {
                await Task.Delay(reconnectDelay ?? DefaultReconnectDelay, clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
