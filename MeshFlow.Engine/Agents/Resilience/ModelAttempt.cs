using System.Text.Json.Serialization;

namespace MeshFlow.Agents.Resilience;

/// <summary>One model a step with a failover list asked, and what became of it.</summary>
/// <param name="Model">The model id.</param>
/// <param name="Connection">The connection's configured name (<c>llm-anthropic</c>).</param>
/// <param name="Outcome"><c>answered</c>, <c>circuit_open</c> (refused by its breaker) or <c>failed</c> (a transient failure before its first token).</param>
/// <param name="Detail">Why it did not answer; null for the one that did.</param>
public sealed record ModelAttempt(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("connection")] string? Connection,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("detail")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail)
{
    /// <summary>The model answered.</summary>
    public const string Answered = "answered";

    /// <summary>Its connection's circuit breaker refused the call.</summary>
    public const string CircuitOpen = "circuit_open";

    /// <summary>It failed transiently before its first token.</summary>
    public const string Failed = "failed";
}
