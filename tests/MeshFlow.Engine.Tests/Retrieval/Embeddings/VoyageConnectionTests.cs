using MeshFlow.Agents;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Retrieval.Embeddings;

/// <summary>The <c>Embeddings=</c> key of LLM connections, and the embeddings-only <c>voyage</c> provider.</summary>
public sealed class VoyageConnectionTests
{
    [Fact]
    public void A_voyage_connection_needs_no_chat_model_and_its_model_is_the_embedding_model()
    {
        var connection = LlmConnection.Parse("Provider=voyage;Key=pa-secret-0042;Embeddings=voyage-3", "voyage");

        Assert.Equal(("voyage", "voyage-3", "voyage-3"), (connection.Provider, connection.Model, connection.Embeddings));
        Assert.Contains("Embeddings=voyage-3", connection.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("pa-secret-0042", connection.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Provider=voyage;Embeddings=voyage-3", "has no Key")]
    [InlineData("Provider=voyage;Key=pa-secret-0042", "has no Embeddings (for example Embeddings=voyage-3)")]
    [InlineData("Provider=bedrock;Region=us-east-1;Model=m;Embeddings=amazon.titan-embed-text-v2", "provider bedrock serves no embeddings")]
    public void A_connection_that_cannot_embed_is_refused_with_the_field_named(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => LlmConnection.Parse(text, "voyage"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("llm-voyage", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pa-secret-0042", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chat_connection_keeps_its_model_and_adds_an_embedding_model()
    {
        var connection = LlmConnection.Parse("Provider=openai;Key=sk-x;Model=gpt-4o-mini;Embeddings=text-embedding-3-small");

        Assert.Equal(("gpt-4o-mini", "text-embedding-3-small"), (connection.Model, connection.Embeddings));
    }

    [Fact]
    public void An_agent_node_asking_voyage_for_a_chat_model_is_refused_before_its_run_starts()
    {
        var options = new MeshFlowEngineOptions();
        options.Providers.Connections["voyage"] = LlmConnection.Parse("Provider=voyage;Key=pa-secret-0042;Embeddings=voyage-3", "voyage");
        var engine = new MeshFlowEngine(options);
        var node = new AgentNode("writer") { Model = "voyage/voyage-3" };

        var problem = engine.Models.Problem(node, Policy.ForMode(PolicyModes.Dev));

        Assert.NotNull(problem);
        Assert.Contains("node 'writer'", problem, StringComparison.Ordinal);
        Assert.Contains("'llm-voyage' is of provider voyage, which serves embeddings only", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("pa-secret-0042", problem, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => engine.Models.Resolve(node));
    }
}
