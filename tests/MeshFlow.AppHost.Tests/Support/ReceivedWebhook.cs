using System.Text;
using System.Text.Json;

namespace MeshFlow.AppHost.Tests.Support;

/// <summary>One request as <see cref="WebhookReceiver"/> got it: headers (names case-insensitive), the body's exact bytes, and what it answered.</summary>
internal sealed record ReceivedWebhook(IReadOnlyDictionary<string, string> Headers, byte[] Body, int AnsweredWith)
{
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The <c>webhook-id</c> header, the same on every attempt of one message.</summary>
    public string? Id => Headers.GetValueOrDefault("webhook-id");

    /// <summary>The body's <c>type</c> (<c>hitl.pause</c>, <c>hitl.resolved</c>), or null when the body is not a JSON object with one.</summary>
    public string? Type => Json() is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("type", out var type) ? type.GetString() : null;

    /// <summary>The body's <c>run_id</c>, or null.</summary>
    public string? RunId => Json() is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("run_id", out var run) ? run.GetString() : null;

    /// <summary>The body as JSON; <see cref="JsonValueKind.Undefined"/> when it is not JSON.</summary>
    public JsonElement Json()
    {
        try
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    public override string ToString() => $"{AnsweredWith} {Headers.GetValueOrDefault("webhook-id")} {Text}";
}
