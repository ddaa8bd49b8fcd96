using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using MeshFlow.Embeddings.MiniLM;
using MeshFlow.Memory;
using MeshFlow.Retrieval.Vectors;

namespace MeshFlow.Benchmarks;

/// <summary>
/// Agent memory on a step's path: purifying an agent's output (about 1,500 characters with boilerplate, a JSON blob
/// and log lines), remembering it, and recalling the top 5 of a full scope (200 memories) for a task, with the local
/// embedder (all-MiniLM-L6-v2) and with keyword matching (no embedder), over the in-process vector store.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentileConfig))]
public class MemoryBenchmarks : IDisposable
{
    private const string Tenant = "bench";
    private const string Scope = "agent:research:analyst";
    private const string Task = "What has to happen before the Hartwell account renews, and who signs off?";

    private static readonly string Output =
        "Sure! Here is what I found:\n" +
        "## Hartwell renewal\n" +
        "The Hartwell renewal needs legal review of the indemnity cap before 14 March. The finance director signs off on the " +
        "new pricing, which rises by four percent. Procurement asked for a twelve-month term instead of thirty-six months.\n" +
        "{\"account\": \"hartwell\", \"arr\": 182000, \"owner\": \"j.doe\", \"stage\": \"negotiation\", \"risks\": [\"indemnity\", \"term\"], " +
        "\"updated\": \"2026-12-01T09:00:00Z\"}\n" +
        "2026-12-01T09:00:01Z INFO crm sync finished in 812 ms\n" +
        "[DEBUG] cache hit for account hartwell\n" +
        "- **Risk:** the customer may ask for a liability carve-out for data breaches.\n" +
        "- **Next step:** send the redline to legal by Friday.\n" +
        "The Hartwell renewal needs legal review of the indemnity cap before 14 March.\n" +
        "I hope this helps! Let me know if you need anything else.";

    private readonly LocalEmbeddingGenerator _local = new();
    private AgentMemoryStore _embedded = null!;
    private AgentMemoryStore _keywords = null!;
    private int _next;

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        await _local.WarmUpAsync();
        _embedded = new AgentMemoryStore(new InMemoryVectorStore(), _local);
        _keywords = new AgentMemoryStore(new InMemoryVectorStore(), embeddings: null);
        foreach (var store in new[] { _embedded, _keywords })
        {
            for (var i = 0; i < 200; i++)
            {
                await store.AddAsync(Tenant, Scope, $"Account {i} renewal note: the customer asked about term length {i % 7} and pricing tier {i % 11}.");
            }
        }
    }

    public void Dispose()
    {
        _local.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public string? Purify() => ObservationPurifier.Default.Purify(Output);

    [Benchmark]
    public Task<AgentMemory?> RememberLocal() => _embedded.AddAsync(Tenant, "run:" + Interlocked.Increment(ref _next), Output);

    [Benchmark]
    public Task<AgentMemory?> RememberKeywords() => _keywords.AddAsync(Tenant, "run:" + Interlocked.Increment(ref _next), Output);

    [Benchmark]
    public Task<IReadOnlyList<AgentMemory>> RecallLocal() => _embedded.RetrieveRelevantAsync(Tenant, Scope, Task, topK: 5);

    [Benchmark]
    public Task<IReadOnlyList<AgentMemory>> RecallKeywords() => _keywords.RetrieveRelevantAsync(Tenant, Scope, Task, topK: 5);

    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig() => AddColumn(StatisticColumn.Median, StatisticColumn.P95);
    }
}
