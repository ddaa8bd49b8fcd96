namespace MeshFlow.Runtime;

/// <summary>
/// Relays a run's events from the worker executing it to whichever API instance holds the client's stream: an
/// in-process bus in embedded mode, Redis pub/sub with a short-lived per-run stream in distributed mode.
/// </summary>
/// <remarks>
/// Published events are also kept for a while (<see cref="RunEventBusOptions.Retention"/> after the run ends), so
/// a reader that resumes after a sequence number gets every later event exactly once: the kept ones, then the
/// live ones, with no gap and no duplicate.
/// </remarks>
public interface IRunEventBus
{
    /// <summary>Publishes an event of a run to its live readers and keeps it for resuming ones.</summary>
    ValueTask PublishAsync(string tenantId, string runId, RunEventEnvelope evt, CancellationToken cancellationToken = default);

    /// <summary>
    /// The run's events after <paramref name="afterSeq"/>, in order: first the kept ones, then live ones as they are
    /// published, until the <c>run_end</c> event (included) or cancellation. With <paramref name="follow"/> false,
    /// only the kept ones.
    /// </summary>
    IAsyncEnumerable<RunEventEnvelope> ReadAsync(string tenantId, string runId, long afterSeq, bool follow = true, CancellationToken cancellationToken = default);

    /// <summary>The sequence number of the run's last kept event, or 0.</summary>
    Task<long> LastSeqAsync(string tenantId, string runId, CancellationToken cancellationToken = default);
}
