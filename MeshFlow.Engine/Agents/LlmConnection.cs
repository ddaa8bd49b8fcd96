using System.Data.Common;
using System.Globalization;

namespace MeshFlow.Agents;

/// <summary>
/// A named LLM provider connection, parsed from a connection string such as
/// <c>Provider=anthropic;Key=sk-ant-...;Model=claude-sonnet-4-5</c>. <c>ConnectionStrings:llm</c> is the connection
/// named <see cref="DefaultName"/>; <c>ConnectionStrings:llm-&lt;name&gt;</c> is the connection named
/// <c>&lt;name&gt;</c>. <see cref="ToString"/> never shows the key or the token.
/// </summary>
public sealed class LlmConnection
{
    /// <summary>The name of the connection configured as <c>ConnectionStrings:llm</c>.</summary>
    public const string DefaultName = "default";

    /// <summary>The providers this version can call.</summary>
    public static IReadOnlyList<string> SupportedProviders { get; } = LlmProviders.All;

    private LlmConnection(string name, string provider, string model)
    {
        Name = name;
        Provider = provider;
        Model = model;
    }

    /// <summary>The connection's name: <see cref="DefaultName"/>, or the <c>&lt;name&gt;</c> of <c>llm-&lt;name&gt;</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The provider kind, one of <see cref="SupportedProviders"/> (<c>openai</c> also covers every OpenAI-compatible
    /// endpoint).
    /// </summary>
    public string Provider { get; }

    /// <summary>The endpoint; null for the provider's default.</summary>
    public Uri? Endpoint { get; private init; }

    /// <summary>The API key. Never logged, traced or recorded.</summary>
    public string? Key { get; private init; }

    /// <summary>A bearer token (Azure OpenAI with Entra ID) sent instead of a key. Never logged, traced or recorded.</summary>
    public string? Token { get; private init; }

    /// <summary>The default model id (for Azure OpenAI, the model behind the deployment, which prices it).</summary>
    public string Model { get; }

    /// <summary>
    /// The connection's embedding model (<c>Embeddings=&lt;model&gt;</c>; for Azure OpenAI, the embedding deployment's
    /// name), which <c>MESHFLOW_EMBEDDINGS=&lt;connection name&gt;</c> embeds memory and knowledge with; null when the
    /// connection names none. A <c>voyage</c> connection's is its <see cref="Model"/> when not given.
    /// </summary>
    public string? Embeddings { get; private init; }

    /// <summary>The Azure OpenAI deployment name; defaults to <see cref="Model"/>.</summary>
    public string? Deployment { get; private init; }

    /// <summary>The Azure OpenAI API version.</summary>
    public string? ApiVersion { get; private init; }

    /// <summary>The AWS region (Bedrock); defaults to the standard <c>AWS_REGION</c> environment variable.</summary>
    public string? Region { get; private init; }

    /// <summary>
    /// What this connection's models cost when the configuration gives it (<c>InputPrice</c>, <c>OutputPrice</c>,
    /// <c>CachedInputPrice</c>, US dollars per million tokens): a local or self-hosted server's own price, over the price
    /// table. Null: the price table's.
    /// </summary>
    public ModelPricing? Pricing { get; private init; }

    /// <summary>The connection's name as configured: <c>llm</c> or <c>llm-&lt;name&gt;</c>.</summary>
    public string ConfigurationName => Name == DefaultName ? "llm" : "llm-" + Name;

    /// <summary>The connection string's name for a connection name (<c>llm</c> for <see cref="DefaultName"/>).</summary>
    public static string ConfigurationNameOf(string name) => name == DefaultName ? "llm" : "llm-" + name;

    /// <summary>
    /// The connection name of a configured connection string's name: <see cref="DefaultName"/> for <c>llm</c>, the
    /// suffix for <c>llm-&lt;name&gt;</c>, null for anything else.
    /// </summary>
    public static string? NameOf(string connectionStringName)
    {
        ArgumentNullException.ThrowIfNull(connectionStringName);
        if (string.Equals(connectionStringName, "llm", StringComparison.OrdinalIgnoreCase))
        {
            return DefaultName;
        }

        return connectionStringName.StartsWith("llm-", StringComparison.OrdinalIgnoreCase) && connectionStringName.Length > 4
            ? connectionStringName[4..].ToLowerInvariant()
            : null;
    }

    /// <summary>Parses the connection string of the connection named <paramref name="name"/>.</summary>
    /// <exception cref="FormatException">
    /// A field is missing or invalid; the message names the connection and the field, never the key.
    /// </exception>
    public static LlmConnection Parse(string connectionString, string name = DefaultName)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var where = $"the LLM connection '{ConfigurationNameOf(name)}'";
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            throw new FormatException(
                $"{where} is malformed: expected 'Provider=<{string.Join("|", LlmProviders.All)}>;Endpoint=...;Key=...;Model=...'");
        }

        string? Field(string field) =>
            builder.TryGetValue(field, out var value) && value?.ToString() is { Length: > 0 } text ? text.Trim() : null;

        var provider = (Field("Provider") ?? LlmProviders.OpenAi).ToLowerInvariant();
        if (!LlmProviders.All.Contains(provider))
        {
            throw new FormatException(
                $"{where} names provider '{provider}'; supported: {string.Join(", ", LlmProviders.All)} " +
                $"(use Provider={LlmProviders.OpenAi} with the Endpoint of any other OpenAI-compatible server)");
        }

        Uri? endpoint = null;
        if (Field("Endpoint") is { } endpointText
            && (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            throw new FormatException($"{where} has Endpoint '{endpointText}', which is not an absolute http(s) URL");
        }

        var embeddings = Field("Embeddings");
        // Voyage serves embeddings only: its model is the embedding model, under either name.
        var model = Field("Model") ?? (provider == LlmProviders.Voyage ? embeddings : null)
            ?? throw new FormatException(provider == LlmProviders.Voyage
                ? $"{where} has no Embeddings (for example Embeddings={LlmProviders.ExampleEmbeddings(provider)})"
                : $"{where} has no Model (for example Model={LlmProviders.ExampleModel(provider)})");
        var connection = new LlmConnection(name.ToLowerInvariant(), provider, model)
        {
            Embeddings = provider == LlmProviders.Voyage ? embeddings ?? model : embeddings,
            Endpoint = endpoint,
            Key = Field("Key") ?? Field("ApiKey"),
            Token = Field("Token"),
            Deployment = Field("Deployment"),
            ApiVersion = Field("ApiVersion"),
            Region = Field("Region"),
            Pricing = PricingOf(Field, where),
        };
        LlmProviders.Require(connection, where);
        return connection;
    }

    private static ModelPricing? PricingOf(Func<string, string?> field, string where)
    {
        decimal? Price(string name)
        {
            if (field(name) is not { } text)
            {
                return null;
            }

            return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var price) && price >= 0
                ? price
                : throw new FormatException($"{where} has {name} '{text}', which is not a price in US dollars per million tokens (a number, at least 0)");
        }

        var input = Price("InputPrice");
        var output = Price("OutputPrice");
        var cached = Price("CachedInputPrice");
        if (input is null && output is null && cached is null)
        {
            return null;
        }

        return input is { } i && output is { } o
            ? new ModelPricing(i, o, cached)
            : throw new FormatException($"{where} prices its models with {(input is null ? "OutputPrice but no InputPrice" : "InputPrice but no OutputPrice")}: give both");
    }

    /// <inheritdoc />
    public override string ToString()
    {
        // Scheme, host and path only: user info or a query could hold a secret.
        var endpoint = Endpoint is null ? "(default)" : $"{Endpoint.Scheme}://{Endpoint.Authority}{Endpoint.AbsolutePath}";
        var text = $"Name={Name};Provider={Provider};Endpoint={endpoint};Key={(Key is null ? "(none)" : "***")};Model={Model}";
        if (Token is not null)
        {
            text += ";Token=***";
        }

        if (Deployment is not null)
        {
            text += $";Deployment={Deployment}";
        }

        if (ApiVersion is not null)
        {
            text += $";ApiVersion={ApiVersion}";
        }

        if (Embeddings is not null)
        {
            text += $";Embeddings={Embeddings}";
        }

        return Region is null ? text : text + $";Region={Region}";
    }
}
