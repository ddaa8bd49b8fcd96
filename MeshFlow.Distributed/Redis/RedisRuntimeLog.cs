using Microsoft.Extensions.Logging;

namespace MeshFlow.Distributed.Redis;

/// <summary>The Redis runtime's log messages.</summary>
internal static partial class RedisRuntimeLog
{
    [LoggerMessage(1, LogLevel.Warning, "Renewing {Count} delivered runs failed; they are retried at the next renewal")]
    public static partial void RenewalFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "The run queue's consumer group is gone (the Redis server lost its data): {Count} delivered runs are no longer held")]
    public static partial void GroupLost(ILogger logger, int count);

    [LoggerMessage(3, LogLevel.Error, "Queue entry {EntryId} holds no readable run request; it was moved to the dead-letter stream")]
    public static partial void UnreadableEntry(ILogger logger, string entryId, Exception? exception);

    [LoggerMessage(4, LogLevel.Warning, "Renewing the lease {LeaseKey} failed; it is retried at the next renewal")]
    public static partial void LeaseRenewalFailed(ILogger logger, string leaseKey, Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "The lease {LeaseKey} was lost: it lapsed or another consumer holds it")]
    public static partial void LeaseLost(ILogger logger, string leaseKey);

    [LoggerMessage(6, LogLevel.Warning, "A cancellation callback for run {RunKey} failed")]
    public static partial void CancelCallbackFailed(ILogger logger, string runKey, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "The run event publisher's own Redis connection could not be made; events go through the shared connection meanwhile, and it is retried in {RetryDelay}")]
    public static partial void PublisherConnectFailed(ILogger logger, TimeSpan retryDelay, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "The run event publisher's own Redis connection was lost; events go through the shared connection until it is remade")]
    public static partial void PublisherLost(ILogger logger, Exception? exception);

    [LoggerMessage(9, LogLevel.Information, "The Redis server refuses what the run event publisher's own connection needs ({Reason}); every event goes through the shared connection")]
    public static partial void PublisherUnsupported(ILogger logger, string reason);

    [LoggerMessage(10, LogLevel.Warning, "The run event subscriber's own Redis connection could not be made; readers subscribe through the shared connection meanwhile, and it is retried in {RetryDelay}")]
    public static partial void SubscriberConnectFailed(ILogger logger, TimeSpan retryDelay, Exception exception);

    [LoggerMessage(11, LogLevel.Warning, "The run event subscriber's own Redis connection was lost; its readers subscribe again, through the shared connection until it is remade")]
    public static partial void SubscriberLost(ILogger logger, Exception? exception);

    [LoggerMessage(12, LogLevel.Information, "The Redis server refuses what the run event subscriber's own connection needs ({Reason}); every reader subscribes through the shared connection")]
    public static partial void SubscriberUnsupported(ILogger logger, string reason);

    [LoggerMessage(13, LogLevel.Warning, "The run queue's own Redis connection for blocking reads could not be made; idle reads wait for wake-ups meanwhile, and it is retried in {RetryDelay}")]
    public static partial void BlockingConnectFailed(ILogger logger, TimeSpan retryDelay, Exception exception);

    [LoggerMessage(14, LogLevel.Information, "The Redis server refuses the run queue's blocking reads ({Reason}); idle reads wait for wake-ups instead")]
    public static partial void BlockingReadsRefused(ILogger logger, string reason);
}
