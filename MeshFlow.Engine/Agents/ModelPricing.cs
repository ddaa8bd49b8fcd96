namespace MeshFlow.Agents;

/// <summary>What a model costs, in US dollars per million tokens.</summary>
/// <param name="InputPerMillionUsd">Price of a million input tokens.</param>
/// <param name="OutputPerMillionUsd">Price of a million output tokens.</param>
public sealed record ModelPricing(decimal InputPerMillionUsd, decimal OutputPerMillionUsd)
{
    /// <summary>Free: the built-in models.</summary>
    public static ModelPricing Free { get; } = new(0m, 0m);

    /// <summary>List prices of common models; override or extend them in the engine options.</summary>
    public static IReadOnlyDictionary<string, ModelPricing> Defaults { get; } = new Dictionary<string, ModelPricing>(StringComparer.OrdinalIgnoreCase)
    {
        [ModelNames.Offline] = Free,
        [ModelNames.Scripted] = Free,
        ["gpt-4o"] = new(2.50m, 10.00m),
        ["gpt-4o-mini"] = new(0.15m, 0.60m),
        ["gpt-4.1"] = new(2.00m, 8.00m),
        ["gpt-4.1-mini"] = new(0.40m, 1.60m),
        ["gpt-4.1-nano"] = new(0.10m, 0.40m),
    };

    /// <summary>The cost of a call.</summary>
    public decimal Cost(long inputTokens, long outputTokens) =>
        ((inputTokens * InputPerMillionUsd) + (outputTokens * OutputPerMillionUsd)) / 1_000_000m;
}
