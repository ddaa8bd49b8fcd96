using MeshFlow.Embeddings.MiniLM;
using MeshFlow.Execution;
using MeshFlow.Hosting;
using MeshFlow.Ledger;
using MeshFlow.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace MeshFlow.Cli.Embedded;

/// <summary>
/// MeshFlow in this process, over the data folder's SQLite ledger: the same composition as the API's embedded mode
/// (ledger, engine, in-process queue, bus and signals, the run processor), so a run started here is recorded exactly
/// as a server records it, and a server started later on the same folder can trace, export, or resume it.
/// </summary>
internal sealed class EmbeddedMeshFlow : IAsyncDisposable
{
    /// <summary>The ledger file's name inside the data folder.</summary>
    public const string LedgerFileName = "ledger.db";

    private readonly ServiceProvider _services;

    private EmbeddedMeshFlow(ServiceProvider services, string dataDirectory)
    {
        _services = services;
        DataDirectory = dataDirectory;
    }

    /// <summary>The data folder (full path).</summary>
    public string DataDirectory { get; }

    /// <summary>The tenant of runs started here, and of the key a server on this folder generates.</summary>
    public static string DefaultTenant =>
        Environment.GetEnvironmentVariable("MESHFLOW_DEFAULT_TENANT") is { Length: > 0 } tenant ? tenant.Trim() : RunOptions.DefaultTenant;

    public ILedgerStore Store => _services.GetRequiredService<ILedgerStore>();

    public AuditLedger Ledger => _services.GetRequiredService<AuditLedger>();

    public MeshFlowEngine Engine => _services.GetRequiredService<MeshFlowEngine>();

    public RunSubmitter Submitter => _services.GetRequiredService<RunSubmitter>();

    public IRunQueue Queue => _services.GetRequiredService<IRunQueue>();

    public IRunEventBus Events => _services.GetRequiredService<IRunEventBus>();

    public IRunSignals Signals => _services.GetRequiredService<IRunSignals>();

    public RunProcessor Processor => _services.GetRequiredService<RunProcessor>();

    /// <summary>The processor's settings: its consumer name is the one that may take runs off the queue.</summary>
    public RunProcessorOptions ProcessorOptions => _services.GetRequiredService<RunProcessorOptions>();

    /// <summary>Opens (creating when needed) the data folder's ledger and applies its migrations.</summary>
    public static async Task<EmbeddedMeshFlow> OpenAsync(string dataDirectory, bool verbose, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(dataDirectory);
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection([new(MeshFlowLedgerServiceCollectionExtensions.DataDirectoryKey, folder)])
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging
            .SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Error)
            // Logs go to standard error, so standard output stays the run's own.
            .AddSimpleConsole(console => console.SingleLine = true)
            .Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddMeshFlowLedger();
        try
        {
            services.AddMeshFlowEmbeddings(configuration);
        }
        catch (FormatException ex)
        {
            throw new CliException(ex.Message, CliExitCodes.Failure, ex);
        }

        services.AddMeshFlowEngine();
        services.AddMeshFlowRuntime();
        var provider = services.BuildServiceProvider();
        try
        {
            PrivateFolder.Ensure(folder);
            await provider.MigrateMeshFlowLedgerAsync(cancellationToken);
            return new EmbeddedMeshFlow(provider, folder);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await provider.DisposeAsync();
            throw new CliException($"the embedded ledger in {folder} cannot be opened: {ex.Message}", CliExitCodes.Failure, ex);
        }
    }

    /// <summary>
    /// Opens the data folder's ledger for reading runs; a folder that holds none yet is a one-line error naming it
    /// (rather than a new, empty ledger left behind in whatever folder the command ran in).
    /// </summary>
    public static Task<EmbeddedMeshFlow> OpenExistingAsync(string dataDirectory, bool verbose, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(dataDirectory);
        return File.Exists(Path.Combine(folder, LedgerFileName))
            ? OpenAsync(folder, verbose, cancellationToken)
            : throw new CliException(
                $"no embedded ledger in {folder}: runs started with 'meshflow run' are kept there; pass --data-dir, or --url for a server");
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
