using System.Text.Json.Serialization;

namespace MeshFlow.Agents;

/// <summary>What a model costs, in US dollars per million tokens.</summary>
/// <param name="InputPerMillionUsd">Price of a million input tokens.</param>
/// <param name="OutputPerMillionUsd">Price of a million output tokens.</param>
/// <param name="CachedInputPerMillionUsd">Price of a million input tokens read from the provider's prompt cache; null: the input price.</param>
public sealed record ModelPricing(
    [property: JsonPropertyName("input")] decimal InputPerMillionUsd,
    [property: JsonPropertyName("output")] decimal OutputPerMillionUsd,
    [property: JsonPropertyName("cached_input")] decimal? CachedInputPerMillionUsd = null)
{
    /// <summary>Free: the built-in models, and local ones.</summary>
    public static ModelPricing Free { get; } = new(0m, 0m);

    /// <summary>
    /// The built-in list prices by model id (every provider's table of <see cref="PriceTable.Default"/>, the first
    /// provider's price where two name the same model), with the free built-in models.
    /// </summary>
    public static IReadOnlyDictionary<string, ModelPricing> Defaults => PriceTable.Default.ByModel;

    /// <summary>
    /// The cost of a call. <paramref name="cachedInputTokens"/> are part of <paramref name="inputTokens"/> (as
    /// Microsoft.Extensions.AI reports them) and are priced at the cached rate.
    /// </summary>
    public decimal Cost(long inputTokens, long outputTokens, long cachedInputTokens = 0)
    {
        var cached = Math.Clamp(cachedInputTokens, 0, inputTokens);
        return (((inputTokens - cached) * InputPerMillionUsd) + (cached * (CachedInputPerMillionUsd ?? InputPerMillionUsd))
            + (outputTokens * OutputPerMillionUsd)) / 1_000_000m;
    }
}
