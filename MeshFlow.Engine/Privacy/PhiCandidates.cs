namespace MeshFlow.Privacy;

/// <summary>What the detectors recognized, overlapping and unordered, until <see cref="Resolve"/> settles it.</summary>
/// <remarks>A struct whose list is created by the first recognition: text without identifiers allocates nothing.</remarks>
internal struct PhiCandidates
{
    private List<PhiMatch>? _items;

    /// <summary>How many recognitions there are so far.</summary>
    public readonly int Count => _items?.Count ?? 0;

    /// <summary>Records <c>text[start..end]</c> as an identifier of the type; an empty span is ignored.</summary>
    public void Add(int start, int end, PhiType type)
    {
        if (end > start)
        {
            (_items ??= []).Add(new PhiMatch(start, end - start, type));
        }
    }

    /// <summary>
    /// The recognitions as non-overlapping matches ordered by start. Overlapping recognitions become one match over
    /// their union, so nothing any detector flagged is left in the clear; its type is that of the recognition no other
    /// one contains, ranked by <see cref="PhiTypes.Rank"/>, then by length.
    /// </summary>
    public readonly IReadOnlyList<PhiMatch> Resolve()
    {
        if (_items is null)
        {
            return [];
        }

        // Sorted by start, longest first, a recognition can only be contained by one before it: the sweep keeps the
        // furthest end so far, and where the first recognition to reach it started.
        _items.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var resolved = new List<PhiMatch>(_items.Count);
        var first = 0;
        while (first < _items.Count)
        {
            var start = _items[first].Start;
            var (end, endStart) = (End(_items[first]), start);
            var best = _items[first];
            for (var i = first + 1; i < _items.Count && _items[i].Start < end; i++)
            {
                var item = _items[i];
                var contained = end > End(item) || (end == End(item) && endStart < item.Start);
                if (!contained && Beats(item, best))
                {
                    best = item;
                }

                if (End(item) > end)
                {
                    (end, endStart) = (End(item), item.Start);
                }

                first = i;
            }

            resolved.Add(new PhiMatch(start, end - start, best.Type));
            first++;
        }

        return resolved;
    }

    private static int End(PhiMatch match) => match.Start + match.Length;

    private static bool Beats(PhiMatch challenger, PhiMatch holder)
    {
        var rank = PhiTypes.Rank(challenger.Type).CompareTo(PhiTypes.Rank(holder.Type));
        return rank != 0 ? rank > 0 : challenger.Length > holder.Length;
    }
}
