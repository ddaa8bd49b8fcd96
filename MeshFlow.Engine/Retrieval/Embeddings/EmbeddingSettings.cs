using MeshFlow.Agents;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.Retrieval.Embeddings;

/// <summary>
/// Reads <c>MESHFLOW_EMBEDDINGS</c>, the one setting every host (API, worker, the CLI's embedded mode) chooses its
/// embedder by: <c>local</c> (the default), <c>tfidf</c>, or the name of an LLM connection (<c>default</c> for
/// <c>ConnectionStrings:llm</c>, <c>&lt;name&gt;</c> or <c>llm-&lt;name&gt;</c> for <c>ConnectionStrings:llm-&lt;name&gt;</c>)
/// whose <c>Embeddings=&lt;model&gt;</c> is used.
/// </summary>
public static class EmbeddingSettings
{
    /// <summary>The configuration key.</summary>
    public const string Key = "MESHFLOW_EMBEDDINGS";

    /// <summary>The value for the local model.</summary>
    public const string Local = "local";

    /// <summary>The value for TF-IDF.</summary>
    public const string TfIdf = "tfidf";

    /// <summary>The configured choice.</summary>
    /// <exception cref="FormatException">
    /// The value is none of the above, names a connection that is not configured or has no <c>Embeddings=</c>, or the
    /// connection string is malformed; the message names the setting and never a key.
    /// </exception>
    public static EmbeddingSelection Read(IConfiguration? configuration)
    {
        var value = configuration?[Key]?.Trim();
        if (string.IsNullOrEmpty(value) || string.Equals(value, Local, StringComparison.OrdinalIgnoreCase))
        {
            return new EmbeddingSelection(EmbeddingSource.Local);
        }

        if (string.Equals(value, TfIdf, StringComparison.OrdinalIgnoreCase))
        {
            return new EmbeddingSelection(EmbeddingSource.TfIdf);
        }

        var name = LlmConnection.NameOf(value) ?? value.ToLowerInvariant();
        var configurationName = LlmConnection.ConfigurationNameOf(name);
        if (configuration?.GetConnectionString(configurationName) is not { Length: > 0 } connectionString)
        {
            var configured = configuration?.GetSection("ConnectionStrings").GetChildren()
                .Select(c => c.Key).Where(k => LlmConnection.NameOf(k) is not null).Order(StringComparer.Ordinal).ToList() ?? [];
            throw new FormatException(
                $"{Key} is '{value}', which is neither {Local}, {TfIdf} nor a configured LLM connection: set ConnectionStrings:{configurationName} " +
                $"with Embeddings=<model>, or choose another (configured connections: {(configured.Count == 0 ? "none" : string.Join(", ", configured))})");
        }

        var connection = LlmConnection.Parse(connectionString, name);
        return connection.Embeddings is null
            ? throw new FormatException(
                $"{Key} names the LLM connection '{configurationName}', which has no Embeddings=<model> (for example " +
                $"Embeddings={LlmProviders.ExampleEmbeddings(connection.Provider)})")
            : new EmbeddingSelection(EmbeddingSource.Connection) { Connection = connection };
    }
}
