using MeshFlow.Agents;

namespace MeshFlow.Tests.Agents;

public sealed class PriceTableTests
{
    [Theory]
    [InlineData("anthropic", "claude-sonnet-4-5", 3.00, 15.00, 0.30)]
    [InlineData("anthropic", "claude-sonnet-4-5-20250929", 3.00, 15.00, 0.30)]
    [InlineData("openai", "gpt-4o-mini", 0.15, 0.60, 0.075)]
    [InlineData("openai", "gpt-4o-mini-2024-07-18", 0.15, 0.60, 0.075)]
    [InlineData("openai", "gpt-4o", 2.50, 10.00, 1.25)]
    [InlineData("azure", "gpt-4o", 2.50, 10.00, 1.25)]
    [InlineData("gemini", "gemini-2.5-flash", 0.30, 2.50, 0.03)]
    [InlineData("bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0", 3.00, 15.00, 0.30)]
    [InlineData("bedrock", "us.anthropic.claude-haiku-4-5-20251001-v1:0", 1.00, 5.00, 0.10)]
    [InlineData("bedrock", "amazon.nova-pro-v1:0", 0.80, 3.20, 0.20)]
    [InlineData("bedrock", "openai.gpt-oss-120b-1:0", 0.15, 0.60, null)]
    [InlineData("ollama", "llama3.2", 0, 0, null)]
    public void The_shipped_table_prices_common_models_by_provider_including_dated_and_regional_ids(
        string provider, string model, double input, double output, double? cached)
    {
        var price = PriceTable.Default.Find(provider, model);

        Assert.NotNull(price);
        Assert.Equal((decimal)input, price.InputPerMillionUsd);
        Assert.Equal((decimal)output, price.OutputPerMillionUsd);
        Assert.Equal(cached is { } c ? (decimal)c : null, price.CachedInputPerMillionUsd);
    }

    [Theory]
    [InlineData("openai", "my-finetune")]
    [InlineData("anthropic", "claude-nova-1")]
    [InlineData("gemini", "gpt-4o")]
    [InlineData("openai", "gpt-5-pro")]
    [InlineData("openai", "o3-deep-research")]
    [InlineData("openai", "gpt-4o-mini-tts")]
    public void An_unlisted_model_has_no_price_rather_than_a_free_one(string provider, string model) =>
        Assert.Null(PriceTable.Default.Find(provider, model));

    [Fact]
    public void Cached_input_tokens_are_part_of_the_input_and_priced_at_the_cached_rate()
    {
        var price = new ModelPricing(3.00m, 15.00m, 0.30m);

        // 1,000 input tokens of which 800 came from the cache, 100 output tokens.
        Assert.Equal(((200 * 3.00m) + (800 * 0.30m) + (100 * 15.00m)) / 1_000_000m, price.Cost(1_000, 100, 800));
        Assert.Equal(price.Cost(1_000, 100), new ModelPricing(3.00m, 15.00m).Cost(1_000, 100, 800));
    }

    [Fact]
    public void A_price_file_overrides_and_extends_the_table()
    {
        var table = PriceTable.Default.With(PriceTable.Parse("""
            {
              "openai": { "gpt-4o": { "input": 1.0, "output": 2.0 } },
              "acme": { "*": { "input": 0.5, "output": 0.5 } }
            }
            """));

        Assert.Equal(1.0m, table.Find("openai", "gpt-4o")!.InputPerMillionUsd);
        Assert.Equal(0.15m, table.Find("openai", "gpt-4o-mini")!.InputPerMillionUsd);
        Assert.Equal(0.5m, table.Find("acme", "anything")!.OutputPerMillionUsd);
    }

    [Theory]
    [InlineData("""{"openai": {"gpt-4o": {"input": 1.0}}}""", "'openai/gpt-4o' has no 'output' price")]
    [InlineData("""{"openai": {"gpt-4o": {"input": -1, "output": 1}}}""", "'input' must be a price")]
    [InlineData("""{"openai": []}""", "'openai' must be an object of models")]
    [InlineData("{\n  \"openai\": {,\n}", "not valid JSON (line 2")]
    public void A_malformed_price_file_is_refused_naming_the_entry(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => PriceTable.Parse(json, "prices.json"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
