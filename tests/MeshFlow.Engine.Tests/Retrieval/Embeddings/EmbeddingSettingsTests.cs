using MeshFlow.Retrieval.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.Tests.Retrieval.Embeddings;

/// <summary>MESHFLOW_EMBEDDINGS: local by default, tfidf, or a named LLM connection with Embeddings=.</summary>
public sealed class EmbeddingSettingsTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void Unset_or_local_is_the_local_model()
    {
        Assert.Equal(EmbeddingSource.Local, EmbeddingSettings.Read(Configuration()).Source);
        Assert.Equal(EmbeddingSource.Local, EmbeddingSettings.Read(null).Source);
        Assert.Equal(EmbeddingSource.Local, EmbeddingSettings.Read(Configuration(("MESHFLOW_EMBEDDINGS", " Local "))).Source);
        Assert.Null(EmbeddingSettings.Read(Configuration()).CreateGenerator());
    }

    [Fact]
    public void Tfidf_is_the_model_free_embedder()
    {
        var selection = EmbeddingSettings.Read(Configuration(("MESHFLOW_EMBEDDINGS", "tfidf")));

        Assert.Equal(EmbeddingSource.TfIdf, selection.Source);
        Assert.IsType<TfIdfEmbeddingGenerator>(selection.CreateGenerator());
    }

    [Theory]
    [InlineData("voyage", "ConnectionStrings:llm-voyage")]
    [InlineData("llm-voyage", "ConnectionStrings:llm-voyage")]
    [InlineData("default", "ConnectionStrings:llm")]
    public void A_connection_name_picks_that_connections_embedding_model(string value, string key)
    {
        var selection = EmbeddingSettings.Read(Configuration(("MESHFLOW_EMBEDDINGS", value),
            (key, "Provider=voyage;Key=pa-secret-0042;Embeddings=voyage-3-lite")));

        Assert.Equal(EmbeddingSource.Connection, selection.Source);
        Assert.Equal("voyage-3-lite", selection.Connection?.Embeddings);
        using var generator = selection.CreateGenerator();
        Assert.Equal("voyage-3-lite", generator?.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
    }

    [Fact]
    public void An_unknown_value_names_the_setting_and_what_is_allowed()
    {
        var error = Assert.Throws<FormatException>(() => EmbeddingSettings.Read(Configuration(("MESHFLOW_EMBEDDINGS", "minilm"),
            ("ConnectionStrings:llm-openai", "Provider=openai;Key=sk-secret-0042;Model=gpt-4o-mini"))));

        Assert.Contains("MESHFLOW_EMBEDDINGS is 'minilm'", error.Message, StringComparison.Ordinal);
        Assert.Contains("local, tfidf", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:llm-minilm", error.Message, StringComparison.Ordinal);
        Assert.Contains("configured connections: llm-openai", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret-0042", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_connection_without_an_embedding_model_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => EmbeddingSettings.Read(Configuration(("MESHFLOW_EMBEDDINGS", "openai"),
            ("ConnectionStrings:llm-openai", "Provider=openai;Key=sk-secret-0042;Model=gpt-4o-mini"))));

        Assert.Contains("MESHFLOW_EMBEDDINGS names the LLM connection 'llm-openai', which has no Embeddings=<model>", error.Message, StringComparison.Ordinal);
        Assert.Contains("Embeddings=text-embedding-3-small", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret-0042", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_connection_is_refused_with_its_field_named()
    {
        var error = Assert.Throws<FormatException>(() => EmbeddingSettings.Read(Configuration(("MESHFLOW_EMBEDDINGS", "voyage"),
            ("ConnectionStrings:llm-voyage", "Provider=voyage;Embeddings=voyage-3"))));

        Assert.Contains("llm-voyage", error.Message, StringComparison.Ordinal);
        Assert.Contains("has no Key", error.Message, StringComparison.Ordinal);
    }
}
