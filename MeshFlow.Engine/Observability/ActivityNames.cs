namespace MeshFlow.Observability;

/// <summary>The names of MeshFlow's spans.</summary>
public static class ActivityNames
{
    /// <summary>A whole run.</summary>
    public const string Run = "meshflow.run";

    /// <summary>One step of a run.</summary>
    public const string Step = "meshflow.step";

    /// <summary>A run put on the queue (the API's side of the trace).</summary>
    public const string Enqueue = "meshflow.run.enqueue";

    /// <summary>A queued run taken by a worker (the worker's side of the trace, a child of the enqueue span).</summary>
    public const string Process = "meshflow.run.process";

    /// <summary>The prefix of a tool call's span, <c>execute_tool {tool}</c> (the GenAI semantic conventions).</summary>
    public const string ExecuteToolPrefix = "execute_tool";

    /// <summary>Records committed to a run's ledger chain (one append: a step's record, a run's start or end).</summary>
    public const string LedgerAppend = "meshflow.ledger.append";

    /// <summary>One delivery attempt of an approval webhook from the outbox.</summary>
    public const string WebhookDeliver = "meshflow.webhook.deliver";
}
