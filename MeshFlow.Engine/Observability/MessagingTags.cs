namespace MeshFlow.Observability;

/// <summary>The OpenTelemetry messaging semantic convention names of the run queue's spans.</summary>
public static class MessagingTags
{
    public const string System = "messaging.system";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string DestinationName = "messaging.destination.name";
    public const string MessageId = "messaging.message.id";
    public const string ConsumerGroup = "messaging.consumer.group.name";

    /// <summary>A run put on the queue.</summary>
    public const string Send = "send";

    /// <summary>A queued run taken and executed by a worker.</summary>
    public const string Process = "process";
}
