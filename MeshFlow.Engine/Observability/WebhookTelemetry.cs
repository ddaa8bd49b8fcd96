using System.Diagnostics;
using MeshFlow.Approvals;

namespace MeshFlow.Observability;

/// <summary>
/// The span of one webhook delivery attempt (<see cref="ActivityNames.WebhookDeliver"/>). It is a client span, so the
/// HttpClient instrumentation's request span is its child; it names the message, its run, the attempt and the outcome,
/// never the URL's path, the body or the signature.
/// </summary>
internal static class WebhookTelemetry
{
    public static Activity? StartDeliver(WebhookMessage message, int attempt)
    {
        var activity = MeshFlowTelemetry.ActivitySource.StartActivity(ActivityNames.WebhookDeliver, ActivityKind.Client);
        activity?.SetTag(TagNames.RunId, message.RunId);
        activity?.SetTag(TagNames.Tenant, message.TenantId);
        activity?.SetTag(TagNames.WebhookMessageId, message.Id);
        activity?.SetTag(TagNames.WebhookAttempt, attempt);
        return activity;
    }

    public static void Delivered(Activity? activity, WebhookAttempt attempt)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(TagNames.WebhookOutcome, attempt.Outcome);
        if (attempt.StatusCode is { } status)
        {
            activity.SetTag(TagNames.HttpResponseStatusCode, status);
        }

        if (attempt.Outcome != WebhookOutcomes.Delivered)
        {
            // The outcome names the failure; the attempt's error text may quote the receiver, so it stays out.
            activity.SetStatus(ActivityStatusCode.Error, attempt.Outcome);
        }
    }
}
