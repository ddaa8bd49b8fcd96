namespace MeshFlow.LoadTest.Measurements;

/// <summary>Runs that did not complete, grouped by how they ended: <c>failed 12, HTTP 500 3</c>, or <c>none</c>.</summary>
internal static class Outcomes
{
    public static string Describe(IEnumerable<string> outcomes)
    {
        var groups = outcomes.GroupBy(o => o).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} ×{g.Count()}").ToList();
        return groups.Count == 0 ? "none" : string.Join(", ", groups);
    }
}
