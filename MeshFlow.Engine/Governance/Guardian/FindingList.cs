namespace MeshFlow.Governance.Guardian;

/// <summary>The findings of one scan, allocated on the first finding, capped at <see cref="MaxFindings"/>.</summary>
internal struct FindingList
{
    /// <summary>A text with more suspicious spans than this reports the first ones found.</summary>
    public const int MaxFindings = 256;

    private List<InjectionFinding>? _items;

    public readonly bool IsFull => _items is { Count: >= MaxFindings };

    /// <summary>Adds a finding unless one of the same signal already covers part of its span.</summary>
    public void Add(string signal, int start, int length)
    {
        _items ??= new List<InjectionFinding>(4);
        if (_items.Count >= MaxFindings)
        {
            return;
        }

        foreach (var item in _items)
        {
            if (ReferenceEquals(item.Signal, signal) && start < item.Start + Math.Max(item.Length, 1) && item.Start < start + Math.Max(length, 1))
            {
                return;
            }
        }

        _items.Add(new InjectionFinding(signal, start, length));
    }

    public readonly IReadOnlyList<InjectionFinding> ToSortedList()
    {
        if (_items is null)
        {
            return [];
        }

        _items.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : string.CompareOrdinal(a.Signal, b.Signal));
        return _items;
    }
}
