using System.Numerics.Tensors;

namespace MeshFlow.Retrieval.Vectors;

/// <summary>
/// One collection's vectors in memory: a contiguous row-major <see cref="float"/> buffer of unit vectors, searched
/// exactly with <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> and a bounded heap.
/// </summary>
/// <remarks>
/// Searches run concurrently; writes take the lock alone. A delete moves the last row into the freed one, so the
/// buffer stays dense. Large collections are searched in one partition per processor, whose best rows are merged.
/// The durable store keeps one of these per collection as its cache (<see cref="Version"/> is how far it has read).
/// </remarks>
internal sealed class VectorIndex : IDisposable
{
    // Below this many rows one thread scans faster than the partitions could be scheduled.
    private const int RowsPerPartition = 16_384;
    private const int InitialCapacity = 16;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, int> _rows = new(StringComparer.Ordinal);
    private float[] _vectors;
    private VectorEntry[] _entries;
    private int _count;

    public VectorIndex(string collectionName, int dimensions, string? embeddingModel = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        CollectionName = collectionName;
        Dimensions = dimensions;
        EmbeddingModel = embeddingModel;
        _vectors = new float[InitialCapacity * dimensions];
        _entries = new VectorEntry[InitialCapacity];
    }

    public string CollectionName { get; }

    public int Dimensions { get; }

    /// <summary>The model of the collection's vectors; null until the first entry is written.</summary>
    public string? EmbeddingModel { get; private set; }

    /// <summary>The version of the durable collection this cache reflects (unused in memory).</summary>
    public long Version { get; set; }

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>The bytes the vectors and row table take (the entries' own strings not counted).</summary>
    public long BufferBytes => (long)_vectors.Length * sizeof(float) + (long)_entries.Length * IntPtr.Size;

    /// <summary>Throws when an entry's model is not the collection's (nor, in a new collection, the batch's first).</summary>
    public void CheckModel(IReadOnlyList<VectorEntry> entries)
    {
        var model = EmbeddingModel;
        foreach (var entry in entries)
        {
            model ??= entry.EmbeddingModel;
            if (!string.Equals(entry.EmbeddingModel, model, StringComparison.Ordinal))
            {
                throw new VectorModelMismatchException(CollectionName, model, Dimensions, entry.EmbeddingModel, entry.Vector.Length);
            }
        }
    }

    /// <summary>Writes entries (validated by the caller) and removes keys, as one change readers see whole.</summary>
    public void Apply(IReadOnlyList<VectorEntry> upserts, IReadOnlyCollection<string> deletes, string? embeddingModel = null)
    {
        _lock.EnterWriteLock();
        try
        {
            CheckModel(upserts);
            EnsureCapacity(_count + upserts.Count(entry => !_rows.ContainsKey(entry.Key)));
            foreach (var key in deletes)
            {
                Remove(key);
            }

            foreach (var entry in upserts)
            {
                Put(entry);
            }

            EmbeddingModel = embeddingModel ?? EmbeddingModel ?? (upserts.Count > 0 ? upserts[0].EmbeddingModel : null);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public VectorEntry? Get(string key, bool includeVectors)
    {
        _lock.EnterReadLock();
        try
        {
            return _rows.TryGetValue(key, out var row) ? Copy(row, includeVectors) : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Copies of the entries that match, in row order.</summary>
    public List<VectorEntry> Where(Func<VectorEntry, bool> predicate, bool includeVectors)
    {
        _lock.EnterReadLock();
        try
        {
            var matches = new List<VectorEntry>();
            for (var row = 0; row < _count; row++)
            {
                if (predicate(_entries[row]))
                {
                    matches.Add(Copy(row, includeVectors));
                }
            }

            return matches;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// The <paramref name="count"/> entries most similar to <paramref name="query"/> (cosine, best first), among those
    /// <paramref name="filter"/> accepts and scoring at least <paramref name="threshold"/>.
    /// </summary>
    public List<(VectorEntry Entry, float Score)> Search(ReadOnlySpan<float> query, int count, Func<VectorEntry, bool>? filter, double? threshold,
        bool includeVectors)
    {
        if (query.Length != Dimensions)
        {
            throw new ArgumentException($"the search vector has {query.Length} dimensions; collection '{CollectionName}' expects {Dimensions}", nameof(query));
        }

        var unit = new float[Dimensions];
        Normalize(query, unit);
        _lock.EnterReadLock();
        try
        {
            var best = TopRows(unit, count, filter, threshold);
            var results = new List<(VectorEntry, float)>(best.Count);
            foreach (var (row, score) in best)
            {
                results.Add((Copy(row, includeVectors), score));
            }

            return results;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>Scales <paramref name="vector"/> to unit length into <paramref name="destination"/>; a zero vector stays zero.</summary>
    public static void Normalize(ReadOnlySpan<float> vector, Span<float> destination)
    {
        // Scaled by the largest component first, so the sum of squares neither under- nor overflows.
        var largest = TensorPrimitives.MaxMagnitude(vector);
        if (largest == 0f || !float.IsFinite(largest))
        {
            vector.CopyTo(destination);
            return;
        }

        TensorPrimitives.Divide(vector, Math.Abs(largest), destination);
        TensorPrimitives.Divide(destination, TensorPrimitives.Norm(destination), destination);
    }

    private List<(int Row, float Score)> TopRows(float[] query, int count, Func<VectorEntry, bool>? filter, double? threshold)
    {
        var partitions = Math.Clamp(_count / RowsPerPartition, 1, Environment.ProcessorCount);
        var minimum = threshold is { } t ? (float)t : float.NegativeInfinity;
        if (partitions == 1)
        {
            return Sorted(Scan(query, 0, _count, count, filter, minimum));
        }

        var heaps = new PriorityQueue<int, float>[partitions];
        var size = (_count + partitions - 1) / partitions;
        Parallel.For(0, partitions, p =>
            heaps[p] = Scan(query, p * size, Math.Min(_count, (p + 1) * size), count, filter, minimum));
        var merged = new PriorityQueue<int, float>(count + 1);
        foreach (var heap in heaps)
        {
            while (heap.TryDequeue(out var row, out var score))
            {
                Offer(merged, row, score, count);
            }
        }

        return Sorted(merged);
    }

    private PriorityQueue<int, float> Scan(float[] query, int start, int end, int count, Func<VectorEntry, bool>? filter, float minimum)
    {
        var heap = new PriorityQueue<int, float>(count + 1);
        var dimensions = Dimensions;
        var vectors = _vectors;
        var floor = minimum;
        for (var row = start; row < end; row++)
        {
            var score = TensorPrimitives.Dot(query, new ReadOnlySpan<float>(vectors, row * dimensions, dimensions));
            if (score < floor || (filter is not null && !filter(_entries[row])))
            {
                continue;
            }

            Offer(heap, row, score, count);
            if (heap.Count == count)
            {
                // Once the heap is full, only rows beating its worst can enter.
                heap.TryPeek(out _, out var worst);
                floor = Math.Max(minimum, worst);
            }
        }

        return heap;
    }

    private static void Offer(PriorityQueue<int, float> heap, int row, float score, int count)
    {
        if (heap.Count < count)
        {
            heap.Enqueue(row, score);
        }
        else if (heap.TryPeek(out _, out var worst) && score > worst)
        {
            heap.DequeueEnqueue(row, score);
        }
    }

    private List<(int Row, float Score)> Sorted(PriorityQueue<int, float> heap)
    {
        var rows = new List<(int Row, float Score)>(heap.Count);
        while (heap.TryDequeue(out var row, out var score))
        {
            rows.Add((row, score));
        }

        rows.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(_entries[a.Row].Key, _entries[b.Row].Key));
        return rows;
    }

    private void Put(VectorEntry entry)
    {
        if (!_rows.TryGetValue(entry.Key, out var row))
        {
            EnsureCapacity(_count + 1);
            row = _count++;
            _rows[entry.Key] = row;
        }

        Normalize(entry.Vector.Span, _vectors.AsSpan(row * Dimensions, Dimensions));
        _entries[row] = entry with { Vector = default };
    }

    // Doubles the buffer, or grows it to a large batch's size at once, so a bulk load allocates it one time.
    private void EnsureCapacity(int rows)
    {
        if (rows <= _entries.Length)
        {
            return;
        }

        var capacity = Math.Max(rows, _entries.Length * 2);
        Array.Resize(ref _entries, capacity);
        Array.Resize(ref _vectors, capacity * Dimensions);
    }

    private void Remove(string key)
    {
        if (!_rows.Remove(key, out var row))
        {
            return;
        }

        var last = --_count;
        if (row != last)
        {
            _entries[row] = _entries[last];
            _rows[_entries[row].Key] = row;
            Array.Copy(_vectors, last * Dimensions, _vectors, row * Dimensions, Dimensions);
        }

        _entries[last] = null!;
    }

    private VectorEntry Copy(int row, bool includeVectors) =>
        _entries[row] with { Vector = includeVectors ? _vectors.AsSpan(row * Dimensions, Dimensions).ToArray() : default };
}
