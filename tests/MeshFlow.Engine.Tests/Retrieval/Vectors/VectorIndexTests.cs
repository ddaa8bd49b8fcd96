using CsCheck;
using MeshFlow.Retrieval.Vectors;

namespace MeshFlow.Tests.Retrieval.Vectors;

/// <summary>The in-memory index's exact top-k, against a brute-force reference.</summary>
public sealed class VectorIndexTests
{
    [Fact]
    public void Top_k_equals_the_brute_force_top_k_for_any_vectors_k_and_deletes()
    {
        var cases =
            from dimensions in Gen.Int[1, 24]
            from vectors in Gen.Single[-1f, 1f].Array[dimensions].Array[1, 120]
            from query in Gen.Single[-1f, 1f].Array[dimensions]
            from k in Gen.Int[1, 130]
            from deleted in Gen.Int[0, 119].Array[0, 30]
            select (dimensions, vectors, query, k, deleted);

        cases.Sample(c =>
        {
            using var index = new VectorIndex("property", c.dimensions);
            index.Apply([.. c.vectors.Select((v, i) => Entry($"k{i}", v))], []);
            var deletes = c.deleted.Where(d => d < c.vectors.Length).Select(d => $"k{d}").ToHashSet();
            index.Apply([], deletes);

            var actual = index.Search(c.query, c.k, null, null, includeVectors: false);

            var truth = c.vectors.Select((v, i) => (Key: $"k{i}", Score: Cosine(c.query, v)))
                .Where(x => !deletes.Contains(x.Key)).ToDictionary(x => x.Key, x => x.Score);
            var expected = truth.Values.OrderDescending().Take(c.k).ToList();

            // Ties may come in any order: the scores must be the true top k, and each key must really have its score.
            return actual.Count == expected.Count
                && actual.Select(r => r.Entry.Key).Distinct().Count() == actual.Count
                && actual.Zip(expected).All(p => Math.Abs(p.First.Score - p.Second) <= 1e-4)
                && actual.All(r => Math.Abs(truth[r.Entry.Key] - r.Score) <= 1e-4);
        }, iter: 200);
    }

    [Fact]
    public void A_collection_split_across_processors_returns_the_same_top_k_as_one_scan()
    {
        const int dimensions = 16;
        var random = new Random(11);
        using var index = new VectorIndex("large", dimensions);
        var vectors = Enumerable.Range(0, 40_000).Select(_ => Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToList();
        index.Apply([.. vectors.Select((v, i) => Entry($"k{i:D5}", v))], []);
        var query = Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

        var actual = index.Search(query, 25, e => !e.Key.EndsWith('7'), 0.1, includeVectors: false);

        var expected = vectors.Select((v, i) => (Key: $"k{i:D5}", Score: Cosine(query, v)))
            .Where(x => !x.Key.EndsWith('7') && x.Score >= 0.1)
            .OrderByDescending(x => x.Score).Take(25).Select(x => x.Key);
        Assert.Equal(expected, actual.Select(r => r.Entry.Key));
    }

    [Fact]
    public void Deleting_moves_the_last_row_into_the_hole_and_keeps_every_key_findable()
    {
        using var index = new VectorIndex("swap", 2);
        index.Apply([Entry("a", [1, 0]), Entry("b", [0, 1]), Entry("c", [1, 1])], []);

        index.Apply([], ["a"]);

        Assert.Equal(2, index.Count);
        Assert.Equal([0.70710677f, 0.70710677f], index.Get("c", includeVectors: true)!.Vector.ToArray());
        Assert.Equal("b", index.Search([0f, 1f], 1, null, null, false)[0].Entry.Key);
        Assert.Null(index.Get("a", includeVectors: false));
    }

    private static VectorEntry Entry(string key, float[] vector) =>
        new() { Key = key, TenantId = "t", EmbeddingModel = "m", Vector = vector };

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}
