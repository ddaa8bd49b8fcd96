namespace MeshFlow.Governance.Guardian;

/// <summary>The candidate matches of one leak scan, allocated on the first, resolved to non-overlapping matches.</summary>
internal struct LeakList
{
    private List<LeakMatch>? _items;

    public void Add(int start, int length, LeakKind kind, string label)
    {
        if (length > 0)
        {
            (_items ??= new List<LeakMatch>(4)).Add(new LeakMatch(start, length, kind, label));
        }
    }

    /// <summary>
    /// Ordered, non-overlapping matches: the earliest wins, then the longest, then a secret over an exfiltration channel
    /// of the same span. A secret inside a removed link is reported as the link (removing it removes the secret too).
    /// </summary>
    public readonly IReadOnlyList<LeakMatch> Resolve()
    {
        if (_items is null)
        {
            return [];
        }

        _items.Sort(static (a, b) =>
            a.Start != b.Start ? a.Start.CompareTo(b.Start)
            : a.Length != b.Length ? b.Length.CompareTo(a.Length)
            : a.Kind.CompareTo(b.Kind));
        var resolved = new List<LeakMatch>(_items.Count);
        var end = 0;
        foreach (var item in _items)
        {
            if (item.Start >= end)
            {
                resolved.Add(item);
                end = item.Start + item.Length;
            }
        }

        return resolved;
    }
}
