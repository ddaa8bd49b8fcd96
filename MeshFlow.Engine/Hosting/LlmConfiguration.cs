using MeshFlow.Agents;
using MeshFlow.Execution;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.Hosting;

/// <summary>The LLM connections and prices a host is configured with.</summary>
public static class LlmConfiguration
{
    /// <summary>The configuration key of a JSON price file laid over the built-in table (the shape of <c>model-prices.json</c>).</summary>
    public const string PricesFileKey = "MESHFLOW_PRICES_FILE";

    /// <summary>
    /// Adds every <c>ConnectionStrings:llm</c> and <c>ConnectionStrings:llm-&lt;name&gt;</c> to the engine's connections,
    /// and the price file's entries over its price table.
    /// </summary>
    /// <exception cref="FormatException">A connection string or the price file is malformed; the message names it, never a key.</exception>
    public static void Apply(IConfiguration? configuration, MeshFlowEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (configuration is null)
        {
            return;
        }

        foreach (var child in configuration.GetSection("ConnectionStrings").GetChildren())
        {
            if (LlmConnection.NameOf(child.Key) is { } name && child.Value is { Length: > 0 } text)
            {
                options.Providers.Connections[name] = LlmConnection.Parse(text, name);
            }
        }

        if (configuration[PricesFileKey] is { Length: > 0 } path)
        {
            string json;
            try
            {
                json = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new FormatException($"{PricesFileKey} names '{path}', which cannot be read: {ex.Message}", ex);
            }

            options.Prices = options.Prices.With(PriceTable.Parse(json, $"the price file '{path}'"));
        }
    }
}
