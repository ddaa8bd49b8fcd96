using System.Text.Json.Serialization;

namespace MeshFlow.Distributed.Metrics;

/// <summary>
/// One measurement on the wire, compact: <see cref="Kind"/> says which <c>IMeshFlowMetrics</c> call it replays and
/// which fields it uses. It carries only metric values and bounded labels, never a tenant, a run or any text of a run.
/// </summary>
internal sealed record MetricSample
{
    public const string RunEnded = "run";
    public const string StepEnded = "step";
    public const string StepBlocked = "block";
    public const string LedgerCommitted = "commit";
    public const string WebhookDelivery = "webhook";
    public const string InFlight = "inflight";

    [JsonPropertyName("k")] public required string Kind { get; init; }

    /// <summary>Run status, block reason or webhook outcome (wire names).</summary>
    [JsonPropertyName("l")] public string? Label { get; init; }

    /// <summary>Seconds, for a run's duration or a commit.</summary>
    [JsonPropertyName("s")] public double? Seconds { get; init; }

    [JsonPropertyName("p")] public string? Provider { get; init; }

    [JsonPropertyName("m")] public string? Model { get; init; }

    [JsonPropertyName("i")] public long? InputTokens { get; init; }

    [JsonPropertyName("o")] public long? OutputTokens { get; init; }

    [JsonPropertyName("c")] public decimal? CostUsd { get; init; }

    [JsonPropertyName("a")] public string? AgentId { get; init; }

    [JsonPropertyName("u")] public double? Uncertainty { get; init; }

    /// <summary>The worker, and its runs in flight, for <see cref="InFlight"/>.</summary>
    [JsonPropertyName("w")] public string? Worker { get; init; }

    [JsonPropertyName("n")] public long? Count { get; init; }
}
