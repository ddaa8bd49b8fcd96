using System.Diagnostics.CodeAnalysis;

namespace MeshFlow.Governance.Collusion;

/// <summary>A map that forgets its oldest key once it holds <c>capacity</c> of them; not thread-safe.</summary>
internal sealed class RecentMap<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _items = [];
    private readonly Queue<TKey> _order = new();

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value) => _items.TryGetValue(key, out value);

    public void Set(TKey key, TValue value)
    {
        if (!_items.ContainsKey(key))
        {
            if (_order.Count == capacity)
            {
                _items.Remove(_order.Dequeue());
            }

            _order.Enqueue(key);
        }

        _items[key] = value;
    }

    /// <summary>Adds the key unless it is there; false if it was.</summary>
    public bool TryAdd(TKey key, TValue value)
    {
        if (_items.ContainsKey(key))
        {
            return false;
        }

        Set(key, value);
        return true;
    }
}
