namespace MeshFlow.Tests.Approvals.Webhooks;

/// <summary>A request as a <see cref="WebhookReceiver"/> saw it.</summary>
internal sealed record ReceivedWebhook(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}
