using System.Text.Json.Serialization;

namespace MeshFlow.Governance.Uncertainty;

/// <summary>How a step's uncertainty score was reached, as its ledger record keeps it (the score is in the header).</summary>
/// <param name="Source"><c>logprobs</c> (the provider's token log-probabilities) or <c>heuristic</c> (the text).</param>
/// <param name="Signals">What raised the score, such as <c>hedging</c>, <c>refusal</c> or <c>contradiction</c>.</param>
public sealed record UncertaintyFinding(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("signals")] IReadOnlyList<string> Signals);
