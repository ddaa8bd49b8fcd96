using System.Globalization;
using BenchmarkDotNet.Running;
using MeshFlow.Benchmarks;

// `dotnet run -c Release -- inflight` prints memory per in-flight run; `-- ledger [postgres|sqlite]` runs the ledger
// load (durable appends on Postgres and SQLite); `-- providers` one agent step streamed from the OpenAI, Anthropic
// and Ollama fakes; `-- relay [shared]` the token relay through Redis (publish→reader latency,
// 100 runs at once; `shared`: published through the multiplexer rather than the bus's own connection); `-- ingest`
// knowledge-base ingest with the local embedder and retrieval latency over it; `-- vectors [sqlite]` exact top-10 over
// 100,000 x 384 vectors (and the load of as many from SQLite into a cache); anything else goes to BenchmarkDotNet
// (for example `--filter *ChainStep*`, or `--filter *` for all).
if (args is ["inflight", ..])
{
    var perRun = await InFlightMemory.MeasureAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"in-flight memory: {perRun / 1024:F1} KiB per run (1,000 runs parked mid-step)"));
    return;
}

if (args is ["ledger", ..])
{
    await LedgerLoad.RunAsync(args.Length > 1 ? args[1] : null);
    return;
}

if (args is ["providers", ..])
{
    await ProviderStreaming.RunAsync();
    return;
}

if (args is ["relay", ..])
{
    await RelayLoad.RunAsync(ownPublishConnection: args is not [_, "shared", ..]);
    return;
}

if (args is ["ingest", ..])
{
    await KnowledgeIngest.RunAsync();
    return;
}

if (args is ["vectors", ..])
{
    await VectorSearch.RunAsync(withSqlite: args is [_, "sqlite", ..]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(EngineBenchmarks).Assembly).Run(args);
