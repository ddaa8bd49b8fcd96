using MeshFlow.Ledger;
using MeshFlow.Observability.Metrics;
using MeshFlow.Ledger.Signing;
using MeshFlow.Ledger.Sqlite;
using MeshFlow.Retrieval.Vectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.VectorData;

namespace MeshFlow.Hosting;

/// <summary>Registers the audit ledger in a host's services.</summary>
public static class MeshFlowLedgerServiceCollectionExtensions
{
    /// <summary>The configuration key of the folder for the embedded ledger and the generated signing key.</summary>
    public const string DataDirectoryKey = "MESHFLOW_DATA_DIR";

    /// <summary>The folder used when <see cref="DataDirectoryKey"/> is not configured.</summary>
    public const string DefaultDataDirectory = ".meshflow";

    /// <summary>
    /// Adds the <see cref="AuditLedger"/> that <c>AddMeshFlowEngine</c> writes every run through. The store is
    /// <paramref name="store"/> when given (the Postgres store in distributed mode), else the embedded SQLite file
    /// <c>ledger.db</c> in <c>MESHFLOW_DATA_DIR</c> (default <c>./.meshflow</c>); the Ed25519 signing key is loaded
    /// from, or created in, <c>ledger.key</c> beside it. The <see cref="VectorStore"/> the engine keeps knowledge and
    /// memories in is a <see cref="LedgerVectorStore"/> over the same store, unless a <see cref="VectorStore"/> is
    /// registered before. Call <see cref="MigrateMeshFlowLedgerAsync"/> at start-up.
    /// </summary>
    public static IServiceCollection AddMeshFlowLedger(this IServiceCollection services, Func<IServiceProvider, ILedgerStore>? store = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ILedgerSigner>(provider =>
            Ed25519LedgerSigner.LoadOrCreate(Path.Combine(DataDirectory(provider), "ledger.key")));
        services.TryAddSingleton(provider =>
            store?.Invoke(provider) ?? SqliteLedgerStore.Open(Path.Combine(DataDirectory(provider), "ledger.db")));
        services.AddMeshFlowMetrics();

        // The durable vector store in the same database, unless one is registered already; a store that keeps no
        // vectors leaves them in this process's memory.
        services.TryAddSingleton<VectorStore>(provider => provider.GetRequiredService<ILedgerStore>() is IVectorEntryStore vectors
            ? new LedgerVectorStore(vectors)
            : new InMemoryVectorStore());
        services.TryAddSingleton(provider => new AuditLedger(
            provider.GetRequiredService<ILedgerStore>(), provider.GetRequiredService<ILedgerSigner>(), provider.GetService<TimeProvider>())
        {
            Metrics = provider.GetService<IMeshFlowMetrics>(),
        });
        return services;
    }

    /// <summary>Applies the ledger store's pending migrations (idempotent, safe when several processes start at once).</summary>
    public static Task MigrateMeshFlowLedgerAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredService<ILedgerStore>().MigrateAsync(cancellationToken);
    }

    private static string DataDirectory(IServiceProvider provider) =>
        provider.GetService<IConfiguration>()?[DataDirectoryKey] is { Length: > 0 } configured ? configured : DefaultDataDirectory;
}
