using System.Data.Common;

namespace MeshFlow.Agents;

/// <summary>
/// An LLM provider connection, parsed from a connection string such as
/// <c>Provider=openai;Endpoint=https://api.openai.com/v1;Key=sk-...;Model=gpt-4o-mini</c>.
/// <see cref="ToString"/> never shows the key.
/// </summary>
public sealed class LlmConnection
{
    /// <summary>The providers this version can call.</summary>
    public static IReadOnlyList<string> SupportedProviders { get; } = ["openai"];

    private LlmConnection(string provider, Uri? endpoint, string? key, string model)
    {
        Provider = provider;
        Endpoint = endpoint;
        Key = key;
        Model = model;
    }

    /// <summary>The provider (<c>openai</c> covers every OpenAI-compatible endpoint).</summary>
    public string Provider { get; }

    /// <summary>The endpoint; null for the provider's default.</summary>
    public Uri? Endpoint { get; }

    /// <summary>The API key. Never logged, traced or recorded.</summary>
    public string? Key { get; }

    /// <summary>The default model id.</summary>
    public string Model { get; }

    /// <summary>Parses a connection string.</summary>
    /// <exception cref="FormatException">A field is missing or invalid; the message names it and never the key.</exception>
    public static LlmConnection Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            throw new FormatException(
                "the LLM connection string is malformed: expected 'Provider=openai;Endpoint=...;Key=...;Model=...'");
        }

        string? Field(string name) =>
            builder.TryGetValue(name, out var value) && value?.ToString() is { Length: > 0 } text ? text.Trim() : null;

        var provider = (Field("Provider") ?? "openai").ToLowerInvariant();
        if (!SupportedProviders.Contains(provider))
        {
            throw new FormatException(
                $"the LLM connection string names provider '{provider}'; supported: {string.Join(", ", SupportedProviders)} " +
                "(use Provider=openai with the Endpoint of any OpenAI-compatible server)");
        }

        Uri? endpoint = null;
        if (Field("Endpoint") is { } endpointText
            && (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            throw new FormatException($"the LLM connection string's Endpoint '{endpointText}' is not an absolute http(s) URL");
        }

        var model = Field("Model")
            ?? throw new FormatException("the LLM connection string has no Model (for example Model=gpt-4o-mini)");
        return new LlmConnection(provider, endpoint, Field("Key") ?? Field("ApiKey"), model);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Provider={Provider};Endpoint={Endpoint?.ToString() ?? "(default)"};Key={(Key is null ? "(none)" : "***")};Model={Model}";
}
