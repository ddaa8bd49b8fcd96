using System.Net;
using MeshFlow.Dashboard.ApiClient;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshFlow.Dashboard.Components.RunDetail;

/// <summary>
/// Follows one run's events (<c>GET /runs/{id}/events</c>) on the server side of a circuit until the run ends or the
/// page goes. A dropped connection resumes after the last event seen (<c>Last-Event-ID</c>), so no event is lost or
/// handed over twice; an unreachable API is retried, waiting longer after each failure, until it answers again.
/// </summary>
/// <param name="api">The signed-in client.</param>
/// <param name="clock">The clock the reconnection delay runs on.</param>
/// <param name="reconnectDelay">The first wait before reconnecting; <see cref="DefaultReconnectDelay"/> when null.</param>
/// <param name="logger">Where skipped events and failed connections are logged.</param>
public sealed class LiveRunFeed(MeshFlowApiClient api, TimeProvider clock, TimeSpan? reconnectDelay = null, ILogger? logger = null)
{
    /// <summary>How long to wait before the first reconnection after the connection dropped, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultReconnectDelay = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnections: the wait doubles after each failure up to this.</summary>
    public static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(30);

    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>The id of the last event handed over; a reconnection resumes after it.</summary>
    public long? LastEventId { get; private set; }

    /// <summary>
    /// Hands every event of <paramref name="runId"/> to <paramref name="onEvent"/> in order, until <c>run_end</c>, an
    /// answer that another try cannot change (401, 403, 404) or <paramref name="cancellationToken"/>.
    /// </summary>
    /// <returns>The message to show when the API refused the stream; null when the run ended or the page went.</returns>
    public async Task<string?> FollowAsync(string runId, Func<RunEvent, Task> onEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var item in api.ReadRunEventsAsync(runId, LastEventId, cancellationToken).ConfigureAwait(false))
                {
                    failures = 0;
                    // An event without an id keeps the resume point: resuming from 0 would hand every event over again.
                    LastEventId = item.Id ?? LastEventId;
                    if (item.IsMalformed)
                    {
                        if (_logger.IsEnabled(LogLevel.Warning))
                        {
                            _logger.LogWarning("Skipped a malformed {Kind} event (id {Id}) of run {RunId}.", item.Kind, item.Id, runId);
                        }

                        continue;
                    }

                    await onEvent(item).ConfigureAwait(false);
                    if (item.Kind == "run_end")
                    {
                        return null;
                    }
                }
            }
            catch (MeshFlowApiException exception) when (exception.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
            {
                // Signed out, not allowed or gone: asking again gives the same answer.
                return exception.Message;
            }
            catch (Exception exception) when (exception is MeshFlowApiException or IOException or HttpRequestException
                && !cancellationToken.IsCancellationRequested)
            {
                // The connection dropped or the API is away: resume after the last event once it is back.
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    _logger.LogInformation(exception, "The events of run {RunId} stopped; reconnecting.", runId);
                }

                failures++;
            }

            try
            {
                await Task.Delay(Backoff(reconnectDelay ?? DefaultReconnectDelay, failures), clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The wait before reconnecting after <paramref name="failures"/> failures in a row: doubling from <paramref name="first"/>, at most <see cref="MaxReconnectDelay"/>.</summary>
    public static TimeSpan Backoff(TimeSpan first, int failures)
    {
        var doublings = Math.Clamp(failures - 1, 0, 16);
        var delay = first * Math.Pow(2, doublings);
        return delay > MaxReconnectDelay ? MaxReconnectDelay : delay;
    }
}
