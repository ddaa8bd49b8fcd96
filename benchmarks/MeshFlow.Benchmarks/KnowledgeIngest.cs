using System.Diagnostics;
using System.Globalization;
using MeshFlow.Embeddings.MiniLM;
using MeshFlow.Retrieval.Documents;
using MeshFlow.Retrieval.Vectors;

namespace MeshFlow.Benchmarks;

/// <summary>
/// Knowledge-base ingest with the local embedder (all-MiniLM-L6-v2 on this machine's cores): 200 documents of about
/// 300 words, chunked by the default sentence chunker, embedded and indexed into an in-memory vector store, in
/// documents a second (median of 3 runs); then the median latency of a top-5 retrieval over them in each mode.
/// </summary>
internal static class KnowledgeIngest
{
    private const int Documents = 200;
    private const int WordsPerDocument = 300;
    private const int Runs = 3;
    private const int Queries = 40;

    private static readonly string[] Subjects =
        ["The warehouse team", "Each driver", "The night shift", "Our billing system", "The clinic's front desk", "The on-call engineer",
         "Every new hire", "The replication service", "The support desk", "A branch manager", "The payroll run", "The dispatch planner"];

    private static readonly string[] Verbs =
        ["checks", "records", "approves", "schedules", "reviews", "archives", "escalates", "reconciles", "updates", "confirms", "audits", "routes"];

    private static readonly string[] Objects =
        ["the delivery manifests", "overdue invoices", "patient referrals", "failed backups", "holiday requests", "pallet counts",
         "certificate renewals", "refund claims", "shift handovers", "incident reports", "stock transfers", "customs declarations"];

    private static readonly string[] Tails =
        ["before the end of each working day", "within two hours of a request", "every Monday morning", "after each release",
         "when the queue passes a hundred items", "once a quarter with finance", "before the trucks leave the yard", "at the start of every month"];

    public static async Task RunAsync()
    {
        var documents = Generate(new Random(23));
        var words = documents.Sum(document => document.Text.Split(' ').Length) / documents.Count;
        var embedder = new LocalEmbeddingGenerator();
        await embedder.WarmUpAsync();

        var rates = new List<double>();
        KnowledgeBases? knowledge = null;
        var chunks = 0;
        for (var run = 0; run < Runs; run++)
        {
            var store = new InMemoryVectorStore();
            knowledge = new KnowledgeBases(store, embedder);
            var watch = Stopwatch.StartNew();
            var ingested = await knowledge.IngestAsync("bench", "docs", documents);
            watch.Stop();
            chunks = ingested.Sum(document => document.ChunkIds.Count);
            rates.Add(Documents / watch.Elapsed.TotalSeconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingest: {Median(rates):F1} documents/s (median of {Runs}; {Documents} documents of ~{words} words, {chunks} chunks, all-MiniLM-L6-v2, {Environment.ProcessorCount} cores)"));

        var random = new Random(7);
        var queries = Enumerable.Range(0, Queries).Select(_ => Sentence(random)).ToList();
        foreach (var mode in Enum.GetValues<RetrievalMode>())
        {
            await knowledge!.RetrieveAsync("bench", "docs", queries[0], 5, mode: mode);
            var latencies = new List<double>(Queries);
            foreach (var query in queries)
            {
                var watch = Stopwatch.StartNew();
                await knowledge.RetrieveAsync("bench", "docs", query, 5, mode: mode);
                latencies.Add(watch.Elapsed.TotalMilliseconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"retrieve {mode,-7} top-5: {Median(latencies):F2} ms median over {Queries} queries ({chunks} chunks; vector and hybrid include embedding the query)"));
        }
    }

    private static List<KnowledgeDocument> Generate(Random random)
    {
        var documents = new List<KnowledgeDocument>(Documents);
        for (var i = 0; i < Documents; i++)
        {
            var sentences = new List<string>();
            var words = 0;
            while (words < WordsPerDocument)
            {
                var sentence = Sentence(random);
                sentences.Add(sentence);
                words += sentence.Split(' ').Length;
            }

            documents.Add(new KnowledgeDocument(string.Join(" ", sentences)) { Id = $"doc-{i}", Source = $"handbook/{i}.md" });
        }

        return documents;
    }

    private static string Sentence(Random random) =>
        $"{Pick(random, Subjects)} {Pick(random, Verbs)} {Pick(random, Objects)} {Pick(random, Tails)}, and {Pick(random, Subjects).ToLowerInvariant()} {Pick(random, Verbs)} {Pick(random, Objects)} {random.Next(2, 90)} times.";

    private static string Pick(Random random, string[] options) => options[random.Next(options.Length)];

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
