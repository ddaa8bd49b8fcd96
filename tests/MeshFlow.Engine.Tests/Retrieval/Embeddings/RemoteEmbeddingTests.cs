using System.Net;
using MeshFlow.Agents;
using MeshFlow.Agents.Providers;
using MeshFlow.Agents.Resilience;
using MeshFlow.Retrieval.Embeddings;
using MeshFlow.Testing.Providers;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Retrieval.Embeddings;

/// <summary>
/// Embeddings from LLM connections (<c>Embeddings=&lt;model&gt;</c>) against fake servers speaking each provider's wire
/// format: what was sent (path, auth, body), what came back (vectors in order, the model id), and the failures.
/// </summary>
public sealed class RemoteEmbeddingTests
{
    private const string OpenAiKey = "sk-test-embeddings-key-0042";
    private const string AzureKey = "azure-embeddings-key-0042";
    private static readonly string[] Texts = ["Invoices are due within thirty days.", "The office closes at six.", "Refunds take a week."];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static ChatProviderOptions Options(int maxRetries = 0) =>
        new() { Resilience = new ProviderResilienceOptions { MaxRetries = maxRetries, RetryDelay = TimeSpan.FromMilliseconds(1) } };

    private static IEmbeddingGenerator<string, Embedding<float>> Generator(string connectionString, string name, int maxRetries = 0) =>
        EmbeddingProviders.Create(LlmConnection.Parse(connectionString, name), Options(maxRetries));

    [Fact]
    public async Task OpenAi_sends_the_model_and_inputs_with_the_bearer_key_and_reads_base64_vectors_in_order()
    {
        await using var server = await new FakeOpenAiEmbeddingServer { ExpectedKey = OpenAiKey }.StartAsync();
        using var generator = Generator($"Provider=openai;Endpoint={server.Endpoint};Key={OpenAiKey};Model=gpt-4o-mini;Embeddings=text-embedding-3-small", "openai");

        var embeddings = await generator.GenerateAsync(Texts, cancellationToken: Cancel);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/embeddings", request.Target);
        Assert.Equal("Bearer " + OpenAiKey, request.Header("Authorization"));
        var body = request.Json();
        Assert.Equal("text-embedding-3-small", body["model"]!.GetValue<string>());
        Assert.Equal(Texts, body["input"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal("base64", body["encoding_format"]!.GetValue<string>());
        Assert.Null(body["input_type"]);

        Assert.Equal(Texts.Length, embeddings.Count);
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(FakeEmbeddings.Vector(Texts[i], 1536), embeddings[i].Vector.ToArray());
            Assert.Equal("text-embedding-3-small", embeddings[i].ModelId);
        }

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
        Assert.Equal(("openai", "text-embedding-3-small", 1536), (metadata.ProviderName, metadata.DefaultModelId, metadata.DefaultModelDimensions));
    }

    [Fact]
    public async Task An_unknown_models_dimension_is_reported_once_the_first_answer_shows_it()
    {
        await using var server = await new FakeOpenAiEmbeddingServer { Models = ["local-embedder"], Dimensions = 64 }.StartAsync();
        using var generator = Generator($"Provider=openai;Endpoint={server.Endpoint};Model=m;Embeddings=local-embedder", "compatible");
        Assert.Null(generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);

        await generator.GenerateAsync(["one"], cancellationToken: Cancel);

        Assert.Equal(64, generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
        // A server without auth still gets a credential the SDK insists on, never a key of another connection.
        Assert.Equal("Bearer unused", Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task A_refused_key_is_a_clear_error_that_never_carries_the_key()
    {
        await using var server = await new FakeOpenAiEmbeddingServer { ExpectedKey = "sk-the-right-one" }.StartAsync();
        using var generator = Generator($"Provider=openai;Endpoint={server.Endpoint};Key={OpenAiKey};Model=m;Embeddings=text-embedding-3-small", "openai");

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => generator.GenerateAsync(Texts, cancellationToken: Cancel));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.False(error.IsTransient);
        Assert.Equal("llm-openai", error.Connection);
        Assert.Contains("text-embedding-3-small", error.Message, StringComparison.Ordinal);
        Assert.Contains("Incorrect API key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OpenAiKey, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(500, true)]
    public async Task A_rate_limit_or_server_error_is_transient_and_named(int status, bool transient)
    {
        await using var server = await new FakeOpenAiEmbeddingServer { FailureStatus = status }.StartAsync();
        using var generator = Generator($"Provider=openai;Endpoint={server.Endpoint};Key={OpenAiKey};Model=m;Embeddings=text-embedding-3-small", "openai");

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => generator.GenerateAsync(Texts, cancellationToken: Cancel));

        Assert.Equal((HttpStatusCode)status, error.Status);
        Assert.Equal(transient, error.IsTransient);
        Assert.Contains("llm-openai", error.Message, StringComparison.Ordinal);
        if (status == 429)
        {
            Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
        }
    }

    [Fact]
    public async Task A_transient_failure_is_retried_through_the_connections_resilience()
    {
        await using var server = await new FakeOpenAiEmbeddingServer { FailureStatus = 503, FailFirst = 1 }.StartAsync();
        using var generator = Generator($"Provider=openai;Endpoint={server.Endpoint};Key={OpenAiKey};Model=m;Embeddings=text-embedding-3-small", "openai",
            maxRetries: 1);

        var embeddings = await generator.GenerateAsync(Texts, cancellationToken: Cancel);

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(FakeEmbeddings.Vector(Texts[2], 1536), embeddings[2].Vector.ToArray());
    }

    [Fact]
    public async Task A_malformed_answer_is_a_clear_error_and_not_retried()
    {
        await using var server = await new FakeOpenAiEmbeddingServer { MalformedBody = "<html>502 Bad Gateway</html>" }.StartAsync();
        using var generator = Generator($"Provider=openai;Endpoint={server.Endpoint};Key={OpenAiKey};Model=m;Embeddings=text-embedding-3-small", "openai",
            maxRetries: 2);

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => generator.GenerateAsync(Texts, cancellationToken: Cancel));

        Assert.Contains("not its embeddings JSON", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Gemini_embeds_through_its_openai_compatible_endpoint_in_batches_of_100()
    {
        await using var server = await new FakeOpenAiEmbeddingServer { ExpectedKey = OpenAiKey, Models = ["text-embedding-004"], Dimensions = 768 }.StartAsync();
        using var generator = Generator($"Provider=gemini;Endpoint={server.Endpoint};Key={OpenAiKey};Model=gemini-2.5-flash;Embeddings=text-embedding-004", "gemini");
        var texts = Enumerable.Range(0, 230).Select(i => $"sentence number {i}").ToArray();

        var embeddings = await generator.GenerateAsync(texts, cancellationToken: Cancel);

        Assert.Equal([100, 100, 30], server.Requests.Select(r => r.Json()["input"]!.AsArray().Count));
        Assert.Equal(texts.Length, embeddings.Count);
        Assert.Equal(FakeEmbeddings.Vector(texts[229], 768), embeddings[229].Vector.ToArray());
        Assert.Equal(768, generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
    }

    [Fact]
    public async Task Azure_posts_to_the_embedding_deployment_with_the_api_key_and_version()
    {
        await using var server = await new FakeAzureOpenAiServer { ExpectedKey = AzureKey, Deployments = ["prod-4o", "embed-small"] }.StartAsync();
        using var generator = Generator(
            $"Provider=azure;Endpoint={server.BaseAddress};Key={AzureKey};Model=gpt-4o;Deployment=prod-4o;Embeddings=embed-small;ApiVersion=2024-10-21", "azure");

        var embeddings = await generator.GenerateAsync(Texts, cancellationToken: Cancel);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/openai/deployments/embed-small/embeddings", request.Path);
        Assert.Equal("2024-10-21", request.ApiVersion);
        Assert.Equal(AzureKey, request.ApiKey);
        Assert.Equal(Texts, request.Body["input"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal(FakeEmbeddings.Vector(Texts[1], 1536), embeddings[1].Vector.ToArray());
        Assert.Equal("text-embedding-3-small", embeddings[1].ModelId);
        Assert.Equal(("azure", "embed-small"), (generator.GetService<EmbeddingGeneratorMetadata>()!.ProviderName, generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId));
    }

    [Fact]
    public async Task Azure_names_the_missing_deployment()
    {
        await using var server = await new FakeAzureOpenAiServer { ExpectedKey = AzureKey }.StartAsync();
        using var generator = Generator($"Provider=azure;Endpoint={server.BaseAddress};Key={AzureKey};Model=gpt-4o;Embeddings=embed-large", "azure");

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => generator.GenerateAsync(Texts, cancellationToken: Cancel));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.Contains("deployment 'embed-large'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AzureKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ollama_posts_every_input_to_api_embed()
    {
        await using var server = await new FakeOllamaServer { Models = ["nomic-embed-text"] }.StartAsync();
        using var generator = Generator($"Provider=ollama;Endpoint={server.BaseAddress};Model=llama3.2;Embeddings=nomic-embed-text", "ollama");

        var embeddings = await generator.GenerateAsync(Texts, cancellationToken: Cancel);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/embed", request.Path);
        Assert.Equal("nomic-embed-text", request.Body["model"]!.GetValue<string>());
        Assert.Equal(Texts, request.Body["input"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Null(request.Authorization);
        Assert.Equal(Texts.Select(t => FakeEmbeddings.Vector(t, 768)), embeddings.Select(e => e.Vector.ToArray()));
        Assert.Equal(("ollama", "nomic-embed-text", 768),
            (generator.GetService<EmbeddingGeneratorMetadata>()!.ProviderName, generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId,
                generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions));
    }

    [Fact]
    public async Task Ollama_says_which_model_to_pull()
    {
        await using var server = await new FakeOllamaServer { Models = ["llama3.2"] }.StartAsync();
        using var generator = Generator($"Provider=ollama;Endpoint={server.BaseAddress};Model=llama3.2;Embeddings=nomic-embed-text", "ollama");

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => generator.GenerateAsync(Texts, cancellationToken: Cancel));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.Contains("model \"nomic-embed-text\" not found, try pulling it first", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Voyage_sends_the_input_type_when_told_and_reads_vectors_by_index()
    {
        await using var server = await new FakeVoyageServer().StartAsync();
        using var generator = Generator($"Provider=voyage;Endpoint={server.BaseAddress};Key={server.ExpectedKey};Embeddings=voyage-3", "voyage");

        var documents = await generator.GenerateAsync(Texts, EmbeddingInputType.ForDocuments(), Cancel);
        var query = await generator.GenerateAsync(["when are invoices due?"], EmbeddingInputType.ForQuery(), Cancel);
        var neutral = await generator.GenerateAsync(["plain"], cancellationToken: Cancel);

        Assert.Equal(3, server.Requests.Count);
        var first = server.Requests[0];
        Assert.Equal("/v1/embeddings", first.Target);
        Assert.Equal("Bearer " + server.ExpectedKey, first.Header("Authorization"));
        Assert.Equal("voyage-3", first.Json()["model"]!.GetValue<string>());
        Assert.Equal(Texts, first.Json()["input"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal("document", first.Json()["input_type"]!.GetValue<string>());
        Assert.Equal("query", server.Requests[1].Json()["input_type"]!.GetValue<string>());
        Assert.False(server.Requests[2].Json().ContainsKey("input_type"));

        Assert.Equal(Texts.Select(t => server.VectorOf(t, "document")), documents.Select(e => e.Vector.ToArray()));
        Assert.Equal(server.VectorOf("when are invoices due?", "query"), Assert.Single(query).Vector.ToArray());
        Assert.Equal(server.VectorOf("plain"), Assert.Single(neutral).Vector.ToArray());
        Assert.Equal("voyage-3", documents[0].ModelId);
        Assert.Equal(Texts.Sum(t => t.Split(' ').Length), documents.Usage?.TotalTokenCount);
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
        Assert.Equal(("voyage", "voyage-3", 1024), (metadata.ProviderName, metadata.DefaultModelId, metadata.DefaultModelDimensions));
    }

    [Fact]
    public async Task Voyage_batches_to_its_limit_of_1000_inputs()
    {
        await using var server = await new FakeVoyageServer { Dimensions = 8 }.StartAsync();
        using var generator = Generator($"Provider=voyage;Endpoint={server.BaseAddress};Key={server.ExpectedKey};Embeddings=voyage-3", "voyage");
        var texts = Enumerable.Range(0, 2500).Select(i => $"t{i}").ToArray();

        var embeddings = await generator.GenerateAsync(texts, cancellationToken: Cancel);

        Assert.Equal([1000, 1000, 500], server.Requests.Select(r => r.Json()["input"]!.AsArray().Count));
        Assert.Equal(server.VectorOf("t1999"), embeddings[1999].Vector.ToArray());
    }

    [Theory]
    [InlineData(401, false, "Provided API key is invalid")]
    [InlineData(429, true, "exceeded your rate limit")]
    [InlineData(500, true, "Internal server error")]
    public async Task Voyage_failures_carry_its_detail_and_never_the_key(int status, bool transient, string detail)
    {
        await using var server = await new FakeVoyageServer { FailureStatus = status == 401 ? null : status }.StartAsync();
        var key = status == 401 ? "pa-wrong-key-0042" : server.ExpectedKey;
        using var generator = Generator($"Provider=voyage;Endpoint={server.BaseAddress};Key={key};Embeddings=voyage-3", "voyage");

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => generator.GenerateAsync(Texts, cancellationToken: Cancel));

        Assert.Equal((HttpStatusCode)status, error.Status);
        Assert.Equal(transient, error.IsTransient);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
        Assert.Contains("Voyage AI behind 'llm-voyage'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_voyage_answer_is_a_clear_error()
    {
        await using var server = await new FakeVoyageServer { MalformedBody = """{"object":"list","data":[{"index":0}]}""" }.StartAsync();
        using var generator = Generator($"Provider=voyage;Endpoint={server.BaseAddress};Key={server.ExpectedKey};Embeddings=voyage-3", "voyage");

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => generator.GenerateAsync(["one"], cancellationToken: Cancel));

        Assert.Contains("not its embeddings JSON", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task An_unreachable_provider_is_a_transient_error_naming_the_connection()
    {
        // A port nothing listens on: the server is started and stopped.
        Uri endpoint;
        await using (var server = await new FakeVoyageServer().StartAsync())
        {
            endpoint = server.BaseAddress;
        }

        using var generator = Generator($"Provider=voyage;Endpoint={endpoint};Key=pa-key-0042;Embeddings=voyage-3", "voyage");

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => generator.GenerateAsync(["one"], cancellationToken: Cancel));

        Assert.True(error.IsTransient);
        Assert.Contains("llm-voyage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_without_an_embedding_model_or_of_a_provider_without_embeddings_is_refused()
    {
        var none = Assert.Throws<ArgumentException>(() => EmbeddingProviders.Create(LlmConnection.Parse("Provider=openai;Key=sk-x;Model=gpt-4o-mini")));
        Assert.Contains("Embeddings=text-embedding-3-small", none.Message, StringComparison.Ordinal);

        var anthropic = Assert.Throws<FormatException>(() =>
            LlmConnection.Parse("Provider=anthropic;Key=sk-ant-secret-42;Model=claude-sonnet-4-5;Embeddings=voyage-3", "anthropic"));
        Assert.Contains("provider anthropic serves no embeddings", anthropic.Message, StringComparison.Ordinal);
        Assert.Contains("voyage", anthropic.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-ant-secret-42", anthropic.Message, StringComparison.Ordinal);
    }
}
