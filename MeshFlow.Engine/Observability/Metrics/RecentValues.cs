namespace MeshFlow.Observability.Metrics;

/// <summary>
/// The last value of each key, for at most <c>capacity</c> keys: setting a new key past the cap drops the key set
/// longest ago, so a gauge over it has a bounded label set however many keys come and go.
/// </summary>
internal sealed class RecentValues(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, double Value)>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, double Value)> _order = new();

    public void Set(string key, double value)
    {
        lock (_gate)
        {
            if (_index.Remove(key, out var existing))
            {
                _order.Remove(existing);
            }
            else if (_index.Count >= capacity && _order.First is { } oldest)
            {
                _index.Remove(oldest.Value.Key);
                _order.RemoveFirst();
            }

            _index[key] = _order.AddLast((key, value));
        }
    }

    public (string Key, double Value)[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _order];
        }
    }
}
