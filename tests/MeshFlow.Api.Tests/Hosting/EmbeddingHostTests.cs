using MeshFlow.Api.Tests.Support;
using MeshFlow.Execution;
using MeshFlow.Retrieval.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFlow.Api.Tests.Hosting;

/// <summary>The API's embedder: the local model unless MESHFLOW_EMBEDDINGS says otherwise, and a wrong setting stops start-up.</summary>
public sealed class EmbeddingHostTests
{
    [Fact]
    public void The_api_embeds_with_the_local_model_by_default()
    {
        using var factory = ApiFactory.Create(new Dictionary<string, string?>());

        var embeddings = factory.Services.GetRequiredService<MeshFlowEngine>().Embeddings;

        var metadata = embeddings?.GetService<EmbeddingGeneratorMetadata>();
        Assert.Equal(("all-MiniLM-L6-v2", 384), (metadata?.DefaultModelId, metadata?.DefaultModelDimensions));
    }

    [Fact]
    public void Tfidf_is_chosen_by_the_setting()
    {
        using var factory = ApiFactory.Create(new Dictionary<string, string?> { [EmbeddingSettings.Key] = "tfidf" });

        Assert.IsType<TfIdfEmbeddingGenerator>(factory.Services.GetRequiredService<MeshFlowEngine>().Embeddings);
    }

    [Fact]
    public async Task A_wrong_embeddings_setting_stops_start_up_with_one_line_naming_it()
    {
        var (exitCode, output, error) = await ApiProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["MESHFLOW_API_KEYS"] = "good-startup-key",
            [EmbeddingSettings.Key] = "minilm",
        });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("MeshFlow.Api cannot start: MESHFLOW_EMBEDDINGS is 'minilm', which is neither local, tfidf nor a configured LLM connection", line,
            StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }
}
