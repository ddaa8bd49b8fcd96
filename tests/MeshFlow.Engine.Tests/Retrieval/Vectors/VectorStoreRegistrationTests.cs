using MeshFlow.Execution;
using MeshFlow.Hosting;
using MeshFlow.Retrieval.Vectors;
using MeshFlow.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace MeshFlow.Tests.Retrieval.Vectors;

/// <summary>Which vector store a host's engine gets.</summary>
public sealed class VectorStoreRegistrationTests
{
    [Fact]
    public async Task A_host_with_the_ledger_keeps_vectors_in_the_ledgers_database()
    {
        var folder = Path.Combine(Path.GetTempPath(), "meshflow-vectors-host-" + Guid.NewGuid().ToString("N"));
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { [MeshFlowLedgerServiceCollectionExtensions.DataDirectoryKey] = folder })
                .Build();
            await using var services = new ServiceCollection()
                .AddSingleton<IConfiguration>(configuration)
                .AddMeshFlowLedger()
                .AddMeshFlowEngine()
                .BuildServiceProvider();
            await services.MigrateMeshFlowLedgerAsync(TestContext.Current.CancellationToken);
            var engine = services.GetRequiredService<MeshFlowEngine>();

            var vectors = Assert.IsType<LedgerVectorStore>(engine.Vectors);
            var collection = vectors.GetCollection<string, VectorEntry>(VectorCollectionNames.Memory("acme"), VectorEntry.Definition(2));
            await collection.UpsertAsync(new VectorEntry { Key = "a", TenantId = "acme", EmbeddingModel = "m", Vector = new float[] { 1, 0 } },
                TestContext.Current.CancellationToken);

            Assert.Same(services.GetRequiredService<VectorStore>(), engine.Vectors);
            Assert.Equal([VectorCollectionNames.Memory("acme")], await vectors.Store.ListVectorCollectionsAsync("acme", TestContext.Current.CancellationToken));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_registered_vector_store_is_the_engines_and_without_one_vectors_stay_in_memory()
    {
        using var own = new InMemoryVectorStore();
        using var withStore = new ServiceCollection().AddSingleton<VectorStore>(own).AddMeshFlowEngine().BuildServiceProvider();
        using var without = new ServiceCollection().AddMeshFlowEngine().BuildServiceProvider();

        Assert.Same(own, withStore.GetRequiredService<MeshFlowEngine>().Vectors);
        Assert.IsType<InMemoryVectorStore>(without.GetRequiredService<MeshFlowEngine>().Vectors);
        Assert.IsType<InMemoryVectorStore>(new MeshFlowEngine().Vectors);
    }

    [Fact]
    public async Task An_engine_given_a_ledger_without_a_vector_store_keeps_vectors_in_the_ledgers_database_so_erasure_reaches_them()
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();

        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger });
        var vectors = Assert.IsType<LedgerVectorStore>(engine.Vectors);
        var collection = vectors.GetCollection<string, VectorEntry>(VectorCollectionNames.Memory("acme"), VectorEntry.Definition(2));
        await collection.UpsertAsync(new VectorEntry { Key = "a", TenantId = "acme", RunId = "run_1", EmbeddingModel = "m", Vector = new float[] { 1, 0 } },
            TestContext.Current.CancellationToken);
        await ledger.Ledger.EraseAsync("acme", "run_1", null, "erasure request", TestContext.Current.CancellationToken);

        Assert.Null(await collection.GetAsync("a", cancellationToken: TestContext.Current.CancellationToken));
    }
}
