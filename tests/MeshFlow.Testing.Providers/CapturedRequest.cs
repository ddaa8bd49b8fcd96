using System.Text.Json.Nodes;

namespace MeshFlow.Testing.Providers;

/// <summary>A request a fake provider server received, as it arrived on the wire.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Target">The request target as sent (path and query, percent-encoding kept).</param>
/// <param name="Headers">Every header, by name without regard to case; repeated headers joined with <c>, </c>.</param>
/// <param name="Body">The body as UTF-8 text.</param>
public sealed record CapturedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The value of a header, or null when the request has none.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The body parsed as a JSON object.</summary>
    public JsonObject Json() => JsonNode.Parse(Body)!.AsObject();

    /// <summary>The whole request as text (request line, headers, body), to look for what must never be sent.</summary>
    public override string ToString() =>
        $"{Method} {Target}\n{string.Join("\n", Headers.Select(h => $"{h.Key}: {h.Value}"))}\n\n{Body}";
}
