using System.Buffers;

namespace MeshFlow.Ledger.Canonical;

/// <summary>
/// Sorts object members by their names as arrays of UTF-16 code units, compared unsigned and ordinally (RFC 8785
/// §3.2.3). Insertion sort for small objects; a merge sort with a pooled scratch array beyond that, so sorting
/// allocates nothing and never takes quadratic time.
/// </summary>
internal static class PropertySorter
{
    private const int InsertionSortLimit = 16;

    /// <summary>Sorts <paramref name="entries"/> by their names in <paramref name="names"/>.</summary>
    public static void Sort(Span<PropertyEntry> entries, ReadOnlySpan<char> names)
    {
        if (entries.Length <= InsertionSortLimit)
        {
            InsertionSort(entries, names);
            return;
        }

        var scratch = ArrayPool<PropertyEntry>.Shared.Rent(entries.Length);
        try
        {
            MergeSort(entries, scratch.AsSpan(0, entries.Length), names);
        }
        finally
        {
            // The entries reference their documents; clear them so the pool does not keep documents alive.
            scratch.AsSpan(0, entries.Length).Clear();
            ArrayPool<PropertyEntry>.Shared.Return(scratch);
        }
    }

    /// <summary>The ordinal UTF-16 code-unit order of two names: negative, zero or positive.</summary>
    public static int Compare(in PropertyEntry left, in PropertyEntry right, ReadOnlySpan<char> names) =>
        NameOf(left, names).SequenceCompareTo(NameOf(right, names));

    /// <summary>The decoded name of <paramref name="entry"/>.</summary>
    public static ReadOnlySpan<char> NameOf(in PropertyEntry entry, ReadOnlySpan<char> names) =>
        names.Slice(entry.NameStart, entry.NameLength);

    private static void InsertionSort(Span<PropertyEntry> entries, ReadOnlySpan<char> names)
    {
        for (var i = 1; i < entries.Length; i++)
        {
            var current = entries[i];
            var j = i - 1;
            while (j >= 0 && Compare(entries[j], current, names) > 0)
            {
                entries[j + 1] = entries[j];
                j--;
            }

            entries[j + 1] = current;
        }
    }

    private static void MergeSort(Span<PropertyEntry> entries, Span<PropertyEntry> scratch, ReadOnlySpan<char> names)
    {
        if (entries.Length <= InsertionSortLimit)
        {
            InsertionSort(entries, names);
            return;
        }

        var middle = entries.Length / 2;
        MergeSort(entries[..middle], scratch[..middle], names);
        MergeSort(entries[middle..], scratch[middle..], names);
        if (Compare(entries[middle - 1], entries[middle], names) <= 0)
        {
            return;
        }

        // Move the left run aside, then merge it with the right run back into place. The write position never
        // passes the right run's read position, so the right run needs no copy.
        var left = scratch[..middle];
        entries[..middle].CopyTo(left);
        int l = 0, r = middle, write = 0;
        while (l < left.Length && r < entries.Length)
        {
            entries[write++] = Compare(left[l], entries[r], names) <= 0 ? left[l++] : entries[r++];
        }

        left[l..].CopyTo(entries[write..]);
    }
}
