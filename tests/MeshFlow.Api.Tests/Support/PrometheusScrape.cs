namespace MeshFlow.Api.Tests.Support;

/// <summary>One parsed scrape, with the sums a test compares between two scrapes.</summary>
internal sealed class PrometheusScrape(IReadOnlyList<PrometheusSample> samples)
{
    public IReadOnlyList<PrometheusSample> Samples { get; } = samples;

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include every pair in <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    /// <summary>The type of the family holding samples named <paramref name="name"/>, or null when there are none.</summary>
    public string? TypeOf(string name) => Samples.FirstOrDefault(s => s.Name == name)?.Type;
}
