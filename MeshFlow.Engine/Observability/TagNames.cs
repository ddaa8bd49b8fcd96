namespace MeshFlow.Observability;

/// <summary>The tag names MeshFlow puts on spans and metrics.</summary>
public static class TagNames
{
    public const string RunId = "meshflow.run_id";
    public const string Tenant = "meshflow.tenant";
    public const string Workflow = "meshflow.workflow";
    public const string NodeId = "meshflow.node_id";
    public const string StepId = "meshflow.step_id";
    public const string Status = "meshflow.status";

    /// <summary>The sequence number of the first record a ledger append committed.</summary>
    public const string LedgerSeq = "meshflow.ledger.seq";

    /// <summary>How many records a ledger append committed.</summary>
    public const string LedgerRecordCount = "meshflow.ledger.record_count";

    /// <summary>The kind of the record a ledger append committed (<c>step</c>, <c>run_start</c>, ...).</summary>
    public const string LedgerRecordKind = "meshflow.ledger.record_kind";

    /// <summary>A webhook delivery attempt's outcome (<c>delivered</c>, <c>retry</c>, <c>failed</c>, ...).</summary>
    public const string WebhookOutcome = "meshflow.webhook.outcome";

    /// <summary>The attempt number of a webhook delivery (1 for the first).</summary>
    public const string WebhookAttempt = "meshflow.webhook.attempt";

    /// <summary>The webhook's message id in the outbox.</summary>
    public const string WebhookMessageId = "meshflow.webhook.message_id";

    /// <summary>The HTTP status a webhook receiver answered (the OpenTelemetry HTTP convention's name).</summary>
    public const string HttpResponseStatusCode = "http.response.status_code";
}
