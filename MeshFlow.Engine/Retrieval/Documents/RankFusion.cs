namespace MeshFlow.Retrieval.Documents;

/// <summary>Reciprocal rank fusion: an item's score is the sum over rankings of 1 / (k + its rank there), ranks from 1.</summary>
internal static class RankFusion
{
    /// <summary>The k of Cormack, Clarke and Büttcher (2009), which damps the weight of the very top ranks.</summary>
    public const int K = 60;

    /// <summary>The fused ranking of the keys of <paramref name="rankings"/>, best first, ties in order of first appearance.</summary>
    public static IReadOnlyList<(string Key, double Score)> Fuse(params IReadOnlyList<string>[] rankings)
    {
        var scores = new Dictionary<string, (double Score, int Order)>(StringComparer.Ordinal);
        foreach (var ranking in rankings)
        {
            for (var rank = 1; rank <= ranking.Count; rank++)
            {
                var key = ranking[rank - 1];
                var contribution = 1.0 / (K + rank);
                scores[key] = scores.TryGetValue(key, out var current) ? (current.Score + contribution, current.Order) : (contribution, scores.Count);
            }
        }

        return [.. scores.OrderByDescending(pair => pair.Value.Score).ThenBy(pair => pair.Value.Order).Select(pair => (pair.Key, pair.Value.Score))];
    }
}
