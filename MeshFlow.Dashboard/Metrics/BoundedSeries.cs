namespace MeshFlow.Dashboard.Metrics;

/// <summary>
/// The last <see cref="Capacity"/> samples, oldest first: the overview's "over time" lives in memory for as long as the
/// page is open, and a page left open for days holds no more than this.
/// </summary>
public sealed class BoundedSeries<T>(int capacity)
{
    private readonly Queue<T> _items = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count => _items.Count;

    public void Add(T item)
    {
        if (_items.Count == Capacity)
        {
            _items.Dequeue();
        }

        _items.Enqueue(item);
    }

    public IReadOnlyList<T> Items => [.. _items];
}
