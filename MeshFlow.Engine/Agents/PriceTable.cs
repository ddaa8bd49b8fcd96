using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MeshFlow.Agents;

/// <summary>
/// Prices per provider and model: the list prices shipped with MeshFlow (<c>model-prices.json</c>), with a
/// deployment's own file or entries over them. A model is found by its exact id, then by the longest listed id it
/// begins with (<c>claude-sonnet-4-5-20250929</c> is priced as <c>claude-sonnet-4-5</c>), then by the provider's
/// <c>*</c>. Azure OpenAI is priced as OpenAI; a Bedrock id's cross-region prefix (<c>us.</c>, <c>eu.</c>) is ignored.
/// </summary>
public sealed partial class PriceTable
{
    private static readonly string[] RegionPrefixes = ["us.", "eu.", "apac.", "global.", "us-gov."];

    private readonly FrozenDictionary<string, FrozenDictionary<string, ModelPricing>> _providers;

    private PriceTable(Dictionary<string, Dictionary<string, ModelPricing>> providers)
    {
        _providers = providers.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase),
            StringComparer.OrdinalIgnoreCase);
        var byModel = new Dictionary<string, ModelPricing>(StringComparer.OrdinalIgnoreCase)
        {
            [ModelNames.Offline] = ModelPricing.Free,
            [ModelNames.Scripted] = ModelPricing.Free,
        };
        foreach (var (_, models) in providers)
        {
            foreach (var (model, price) in models)
            {
                byModel.TryAdd(model, price);
            }
        }

        ByModel = byModel.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The list prices shipped with MeshFlow.</summary>
    public static PriceTable Default { get; } = LoadDefault();

    /// <summary>Every listed model's price by model id alone.</summary>
    public IReadOnlyDictionary<string, ModelPricing> ByModel { get; }

    /// <summary>
    /// Reads a table: <c>{"&lt;provider&gt;": {"&lt;model&gt;": {"input": 3.0, "output": 15.0, "cached_input": 0.3}}}</c>.
    /// </summary>
    /// <exception cref="FormatException">The JSON is not of that shape; the message names the entry.</exception>
    public static PriceTable Parse(string json, string source = "the price table")
    {
        ArgumentNullException.ThrowIfNull(json);
        var providers = new Dictionary<string, Dictionary<string, ModelPricing>>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{source} must be a JSON object of providers");
            }

            foreach (var provider in document.RootElement.EnumerateObject())
            {
                if (provider.Name.StartsWith('$'))
                {
                    continue;
                }

                if (provider.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"{source}: '{provider.Name}' must be an object of models");
                }

                var models = providers[provider.Name] = new Dictionary<string, ModelPricing>(StringComparer.OrdinalIgnoreCase);
                foreach (var model in provider.Value.EnumerateObject())
                {
                    models[model.Name] = Price(model.Value, $"{source}: '{provider.Name}/{model.Name}'");
                }
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source} is not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1})", ex);
        }

        return new PriceTable(providers);
    }

    /// <summary>This table with <paramref name="overrides"/>'s entries over its own.</summary>
    public PriceTable With(PriceTable overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var providers = _providers.ToDictionary(p => p.Key, p => new Dictionary<string, ModelPricing>(p.Value, StringComparer.OrdinalIgnoreCase),
            StringComparer.OrdinalIgnoreCase);
        foreach (var (provider, models) in overrides._providers)
        {
            if (!providers.TryGetValue(provider, out var own))
            {
                providers[provider] = own = new Dictionary<string, ModelPricing>(StringComparer.OrdinalIgnoreCase);
            }

            foreach (var (model, price) in models)
            {
                own[model] = price;
            }
        }

        return new PriceTable(providers);
    }

    /// <summary>The price of <paramref name="model"/> at <paramref name="provider"/>, or null when the table has none.</summary>
    public ModelPricing? Find(string provider, string model)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(model);
        if (provider == LlmProviders.Bedrock)
        {
            foreach (var prefix in RegionPrefixes)
            {
                if (model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    model = model[prefix.Length..];
                    break;
                }
            }
        }

        return FindIn(provider, model) ?? (provider == LlmProviders.Azure ? FindIn(LlmProviders.OpenAi, model) : null);
    }

    private ModelPricing? FindIn(string provider, string model)
    {
        if (!_providers.TryGetValue(provider, out var models))
        {
            return null;
        }

        if (models.TryGetValue(model, out var exact))
        {
            return exact;
        }

        // A dated or versioned id (claude-sonnet-4-5-20250929, anthropic.claude-haiku-4-5-20251001-v1:0) is priced as
        // the longest listed id it extends; another variant (gpt-5-pro, o3-deep-research) is a model of its own price.
        ModelPricing? best = null;
        var bestLength = 0;
        foreach (var (listed, price) in models)
        {
            if (listed.Length > bestLength && model.Length > listed.Length && model.StartsWith(listed, StringComparison.OrdinalIgnoreCase)
                && VersionSuffix().IsMatch(model.AsSpan(listed.Length)))
            {
                best = price;
                bestLength = listed.Length;
            }
        }

        return best ?? models.GetValueOrDefault("*");
    }

    private static ModelPricing Price(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where} must be an object such as {{\"input\": 3.0, \"output\": 15.0}}");
        }

        decimal? Field(string name, bool required)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return required ? throw new FormatException($"{where} has no '{name}' price") : null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number) || number < 0)
            {
                throw new FormatException($"{where}: '{name}' must be a price in US dollars per million tokens, at least 0");
            }

            return number;
        }

        return new ModelPricing(Field("input", true)!.Value, Field("output", true)!.Value, Field("cached_input", false));
    }

    // -2024-07-18, -20250929, @20250929, -v1:0, -1:0, and a date followed by a version.
    [GeneratedRegex(@"^(?:-\d{4}-\d{2}-\d{2}|-\d{8}|@\d{8})?(?:-v\d+(?::\d+)?|-\d+:\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionSuffix();

    private static PriceTable LoadDefault()
    {
        using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream("MeshFlow.Agents.model-prices.json")
            ?? throw new InvalidOperationException("the built-in price table is missing from the engine assembly");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "the built-in price table");
    }
}
