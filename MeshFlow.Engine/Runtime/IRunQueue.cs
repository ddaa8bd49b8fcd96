namespace MeshFlow.Runtime;

/// <summary>
/// Carries runs from the API to the workers: an in-process channel in embedded mode, a Redis stream with a
/// consumer group in distributed mode.
/// </summary>
/// <remarks>
/// Delivery is at least once. An entry stays pending until <see cref="AcknowledgeAsync"/>; the entries of a
/// consumer that stopped acknowledging and renewing them (a dead worker) are delivered again to another consumer,
/// with a higher <see cref="QueuedRun.DeliveryCount"/>. A run must therefore be executed under its lease
/// (<see cref="TryLeaseAsync"/>) and resumed from the ledger, which never records a step twice.
/// </remarks>
public interface IRunQueue
{
    /// <summary>The messaging system the queue's spans name (<c>messaging.system</c>): <c>meshflow</c> for the in-process queue.</summary>
    string MessagingSystem => "meshflow";

    /// <summary>The queue's destination the spans name (<c>messaging.destination.name</c>): the stream's key for Redis.</summary>
    string DestinationName => "runs";

    /// <summary>Queues a run and wakes an idle consumer.</summary>
    Task EnqueueAsync(RunRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="max"/> runs for <paramref name="consumer"/>: entries of dead consumers first, then new
    /// ones. Waits up to <paramref name="wait"/> when none is ready, and answers empty if none arrived.
    /// </summary>
    Task<IReadOnlyList<QueuedRun>> ReadAsync(string consumer, int max, TimeSpan wait, CancellationToken cancellationToken = default);

    /// <summary>Removes a delivered entry for good: its run's terminal or paused state is committed.</summary>
    Task AcknowledgeAsync(QueuedRun run, CancellationToken cancellationToken = default);

    /// <summary>Moves an entry that cannot be executed to the dead-letter stream with the reason, and removes it.</summary>
    Task DeadLetterAsync(QueuedRun run, string reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the run's execution lease for <paramref name="consumer"/>: null when another consumer holds it. The
    /// lease renews itself until disposed, and lapses on its own if its holder dies.
    /// </summary>
    Task<IAsyncDisposable?> TryLeaseAsync(string tenantId, string runId, string consumer, CancellationToken cancellationToken = default);

    /// <summary>
    /// The number of runs waiting for a worker: queued and not yet delivered. Delivered entries not yet acknowledged
    /// are runs in flight, and are not counted.
    /// </summary>
    Task<long> DepthAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether the queue still holds the run (queued, or delivered and not yet acknowledged).</summary>
    Task<bool> HoldsAsync(string tenantId, string runId, CancellationToken cancellationToken = default);
}
