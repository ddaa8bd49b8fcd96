using System.Net;
using MeshFlow.Agents.Providers;
using MeshFlow.Api.Tests.Support;
using MeshFlow.Retrieval.Embeddings;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFlow.Api.Tests.Knowledge;

/// <summary>An embedder that cannot embed answers 503 with one line of its cause, never a 500.</summary>
public sealed class KnowledgeEmbedderUnavailableTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    public static TheoryData<string> Failures => ["model", "provider"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Ingest_with_an_embedder_that_cannot_embed_answers_503_with_the_first_line_of_its_cause(string failure)
    {
        using var api = WithEmbedder(new FailingEmbeddingGenerator(failure));
        using var client = api.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var response = await client.PostDocumentsAsync(KnowledgeClient.NewName("down"), ("leave", "leave.md", "Annual leave is twenty-five days."));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var detail = (await response.ReadJsonAsync()).GetProperty("detail").GetString()!;
        Assert.Contains(FailingEmbeddingGenerator.FirstLine, detail, StringComparison.Ordinal);
        Assert.DoesNotContain(FailingEmbeddingGenerator.SecondLine, detail, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', detail);
    }

    [Fact]
    public async Task Search_with_an_embedder_that_cannot_embed_answers_503()
    {
        using var api = WithEmbedder(new FailingEmbeddingGenerator("model"));
        using var client = api.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var response = await client.GetWithTimeoutAsync($"/knowledge/{KnowledgeClient.NewName("down")}/search?q=leave&mode=vector");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(FailingEmbeddingGenerator.FirstLine, (await response.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> WithEmbedder(IEmbeddingGenerator<string, Embedding<float>> embedder) =>
        factory.WithWebHostBuilder(host => host.ConfigureTestServices(services => services.AddSingleton(embedder)));

    // Fails every call as a model that does not load, or a provider that is down, does.
    private sealed class FailingEmbeddingGenerator(string failure) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public const string FirstLine = "the embedding model is not reachable";
        public const string SecondLine = "second line of diagnostics";

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default) =>
            throw (failure == "model"
                ? new EmbeddingModelUnavailableException($"{FirstLine}\n{SecondLine}")
                : new LlmProviderException("embeddings", "voyage-3", HttpStatusCode.ServiceUnavailable, $"{FirstLine}\n{SecondLine}", transient: true));

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
