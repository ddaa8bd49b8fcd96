using System.Diagnostics;
using MeshFlow.Runtime;

namespace MeshFlow.Observability;

/// <summary>
/// Puts the messaging semantic conventions on the run queue's spans: the submitter's producer span
/// (<c>send</c>) and the worker's consumer span (<c>process</c>), both tagged with the queue's system and destination.
/// </summary>
/// <remarks>
/// A worker's polls are not traced: each reads nothing most of the time, and a span per empty poll would bury the
/// runs. The consumer span starts when a delivery is taken, as the child of the producer span whose W3C context the
/// queued request carries.
/// </remarks>
internal static class QueueTelemetry
{
    public static void TagSend(Activity? activity, IRunQueue queue)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(MessagingTags.System, queue.MessagingSystem);
        activity.SetTag(MessagingTags.OperationType, MessagingTags.Send);
        activity.SetTag(MessagingTags.OperationName, MessagingTags.Send);
        activity.SetTag(MessagingTags.DestinationName, queue.DestinationName);
    }

    public static void TagProcess(Activity? activity, IRunQueue queue, QueuedRun delivery)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(MessagingTags.System, queue.MessagingSystem);
        activity.SetTag(MessagingTags.OperationType, MessagingTags.Process);
        activity.SetTag(MessagingTags.OperationName, MessagingTags.Process);
        activity.SetTag(MessagingTags.DestinationName, queue.DestinationName);
        activity.SetTag(MessagingTags.MessageId, delivery.DeliveryId);
    }

    /// <summary>Names the queued entry on the submitter's producer span, once the queue has given it an id.</summary>
    public static void TagMessageId(string? id)
    {
        if (Activity.Current is { Kind: ActivityKind.Producer } activity && activity.Source.Name == MeshFlowTelemetry.Name
            && activity.OperationName == ActivityNames.Enqueue)
        {
            activity.SetTag(MessagingTags.MessageId, id);
        }
    }
}
