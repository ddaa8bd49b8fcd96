namespace MeshFlow.Runtime;

/// <summary>A delivery of a queued run to one consumer; acknowledge it only once the run's outcome is committed.</summary>
/// <param name="Request">The run to execute.</param>
/// <param name="DeliveryId">The queue's id of this entry (a Redis stream entry id, or an in-process counter).</param>
/// <param name="DeliveryCount">How many times the entry has been delivered, this delivery included (1 the first time).</param>
public sealed record QueuedRun(RunRequest Request, string DeliveryId, int DeliveryCount);
