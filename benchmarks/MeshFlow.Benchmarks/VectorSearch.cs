using System.Diagnostics;
using System.Globalization;
using MeshFlow.Ledger.Sqlite;
using MeshFlow.Retrieval.Vectors;
using Microsoft.Extensions.VectorData;

namespace MeshFlow.Benchmarks;

/// <summary>
/// Exact top-10 over 100,000 random unit vectors of 384 dimensions (all-MiniLM-L6-v2's): search latency (median, p95),
/// the index's memory, and the time to load the same vectors from a SQLite ledger into a durable store's cache.
/// </summary>
internal static class VectorSearch
{
    private const int Count = 100_000;
    private const int Dimensions = 384;
    private const int Top = 10;
    private const int Warmup = 20;
    private const int Searches = 200;

    public static async Task RunAsync(bool withSqlite)
    {
        var random = new Random(42);
        var entries = new VectorEntry[Count];
        for (var i = 0; i < Count; i++)
        {
            entries[i] = new VectorEntry { Key = "k" + i.ToString(CultureInfo.InvariantCulture), TenantId = "bench", EmbeddingModel = "random", Vector = RandomUnit(random) };
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var index = new VectorIndex("bench", Dimensions);
        index.Apply(entries, []);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Print($"index: {Count:N0} x {Dimensions} float32, buffer {index.BufferBytes / 1024.0 / 1024.0:F1} MiB; " +
            $"managed heap grew {(after - before) / 1024.0 / 1024.0:F1} MiB (entries' records included, their source vectors not)");

        var latencies = new List<double>(Searches);
        for (var i = 0; i < Warmup + Searches; i++)
        {
            var query = RandomUnit(random);
            var started = Stopwatch.GetTimestamp();
            var results = index.Search(query, Top, null, null, includeVectors: false);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (results.Count != Top)
            {
                throw new InvalidOperationException($"expected {Top} results, got {results.Count}");
            }

            if (i >= Warmup)
            {
                latencies.Add(elapsed);
            }
        }

        latencies.Sort();
        Print($"exact top-{Top} over {Count:N0} x {Dimensions} ({Environment.ProcessorCount} processors): " +
            $"median {latencies[latencies.Count / 2]:F2} ms, p95 {latencies[(int)(latencies.Count * 0.95)]:F2} ms, " +
            $"min {latencies[0]:F2} ms ({Searches} searches)");

        if (withSqlite)
        {
            await LoadFromSqliteAsync(entries);
        }
    }

    private static async Task LoadFromSqliteAsync(VectorEntry[] entries)
    {
        var folder = Path.Combine(Path.GetTempPath(), "meshflow-vector-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(folder, "ledger.db");
            var name = VectorCollectionNames.Knowledge("bench", "load");
            await using (var writer = SqliteLedgerStore.Open(path))
            {
                await writer.MigrateAsync();
                using var store = new LedgerVectorStore(writer);
                var collection = store.GetCollection<string, VectorEntry>(name);
                var written = Stopwatch.StartNew();
                foreach (var batch in entries.Chunk(5_000))
                {
                    await collection.UpsertAsync(batch);
                }

                Print($"sqlite: wrote {entries.Length:N0} vectors in {written.Elapsed.TotalSeconds:F1} s (batches of 5,000)");
            }

            await using var reader = SqliteLedgerStore.Open(path);
            using var cold = new LedgerVectorStore(reader);
            var loaded = Stopwatch.StartNew();
            var first = await First(cold.GetCollection<string, VectorEntry>(name).SearchAsync(entries[0].Vector, Top));
            var load = loaded.Elapsed;
            var warm = Stopwatch.StartNew();
            await First(cold.GetCollection<string, VectorEntry>(name).SearchAsync(entries[1].Vector, Top));
            Print($"sqlite: first search on a cold store (loads {entries.Length:N0} vectors into the cache) {load.TotalSeconds:F2} s; " +
                $"the next (one version check, then the cache) {warm.Elapsed.TotalMilliseconds:F1} ms; best match {first?.Record.Key}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<VectorSearchResult<VectorEntry>?> First(IAsyncEnumerable<VectorSearchResult<VectorEntry>> results)
    {
        await foreach (var result in results)
        {
            return result;
        }

        return null;
    }

    private static float[] RandomUnit(Random random)
    {
        var vector = new float[Dimensions];
        for (var i = 0; i < Dimensions; i++)
        {
            // Box-Muller: a Gaussian direction is uniform on the sphere.
            vector[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return [.. vector.Select(v => v / norm)];
    }

    // The benchmark project runs with invariant globalization, so interpolated numbers print the same everywhere.
    private static void Print(string line) => Console.WriteLine(line);
}
