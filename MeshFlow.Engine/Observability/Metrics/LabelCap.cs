using System.Collections.Concurrent;

namespace MeshFlow.Observability.Metrics;

/// <summary>Admits the first <c>capacity</c> distinct label values; later ones read as <see cref="MetricTags.Other"/>.</summary>
internal sealed class LabelCap(int capacity)
{
    private readonly ConcurrentDictionary<string, byte> _admitted = new(StringComparer.Ordinal);

    public string Admit(string value)
    {
        if (_admitted.ContainsKey(value))
        {
            return value;
        }

        // A race may admit a value or two past the cap; the set stays bounded all the same.
        if (_admitted.Count >= capacity)
        {
            return MetricTags.Other;
        }

        _admitted.TryAdd(value, 0);
        return value;
    }
}
