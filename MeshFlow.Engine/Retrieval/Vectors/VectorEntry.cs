using Microsoft.Extensions.VectorData;

namespace MeshFlow.Retrieval.Vectors;

/// <summary>
/// The record every MeshFlow vector collection holds: a knowledge chunk or an agent memory, its text, where it came
/// from, the embedding model that made its vector, and the vector.
/// </summary>
/// <remarks>
/// <para>The attributes describe a 384-dimension collection (all-MiniLM-L6-v2); collections of other dimensions are
/// opened with <see cref="Definition(int)"/>. Similarity is cosine: MeshFlow's stores keep vectors at unit length, so
/// a vector read back (<c>IncludeVectors</c>) is the written one normalized.</para>
/// <para>A collection holds vectors of one embedding model: MeshFlow's stores refuse an entry whose
/// <see cref="EmbeddingModel"/> differs from the one the collection was first written with
/// (<see cref="VectorModelMismatchException"/>); re-embedding means deleting the collection and writing it anew.</para>
/// </remarks>
public sealed record class VectorEntry
{
    /// <summary>The dimensions of the attribute-described collection: all-MiniLM-L6-v2's.</summary>
    public const int DefaultDimensions = 384;

    private static readonly VectorStoreCollectionDefinition DefaultDefinition = Build(DefaultDimensions);

    /// <summary>The entry's key, unique in its collection.</summary>
    [VectorStoreKey]
    public string Key { get; set; } = "";

    /// <summary>The tenant the entry belongs to; a collection named for a tenant holds only that tenant's entries.</summary>
    [VectorStoreData(IsIndexed = true)]
    public string TenantId { get; set; } = "";

    /// <summary>The document a knowledge chunk was cut from, or null.</summary>
    [VectorStoreData(IsIndexed = true)]
    public string? DocumentId { get; set; }

    /// <summary>The run that wrote the entry, or null; erasing the run deletes the entry.</summary>
    [VectorStoreData(IsIndexed = true)]
    public string? RunId { get; set; }

    /// <summary>The memory scope key of an agent memory; null for knowledge chunks.</summary>
    [VectorStoreData(IsIndexed = true)]
    public string? Scope { get; set; }

    /// <summary>The text the vector was made from.</summary>
    [VectorStoreData(IsFullTextIndexed = true)]
    public string Text { get; set; } = "";

    /// <summary>Where the text came from (a file name, a URL), or null.</summary>
    [VectorStoreData]
    public string? Source { get; set; }

    /// <summary>The chunk's index in its document.</summary>
    [VectorStoreData]
    public int Position { get; set; }

    /// <summary>A JSON object of string values, or null.</summary>
    [VectorStoreData]
    public string? Metadata { get; set; }

    /// <summary>The embedding model that made <see cref="Vector"/> (its <c>DefaultModelId</c>).</summary>
    [VectorStoreData(IsIndexed = true)]
    public string EmbeddingModel { get; set; } = "";

    /// <summary>When the entry was first written.</summary>
    [VectorStoreData]
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the entry was last retrieved (agent memory keeps the used ones).</summary>
    [VectorStoreData]
    public DateTimeOffset LastUsedAt { get; set; }

    /// <summary>How many times the entry was retrieved.</summary>
    [VectorStoreData]
    public int UseCount { get; set; }

    /// <summary>The embedding.</summary>
    [VectorStoreVector(DefaultDimensions, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public ReadOnlyMemory<float> Vector { get; set; }

    /// <summary>The definition of a collection of <see cref="VectorEntry"/> whose vectors have <paramref name="dimensions"/> dimensions.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimensions"/> is not positive.</exception>
    public static VectorStoreCollectionDefinition Definition(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        return dimensions == DefaultDimensions ? DefaultDefinition : Build(dimensions);
    }

    private static VectorStoreCollectionDefinition Build(int dimensions) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(Key), typeof(string)),
            new VectorStoreDataProperty(nameof(TenantId), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(DocumentId), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(RunId), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(Scope), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(Text), typeof(string)) { IsFullTextIndexed = true },
            new VectorStoreDataProperty(nameof(Source), typeof(string)),
            new VectorStoreDataProperty(nameof(Position), typeof(int)),
            new VectorStoreDataProperty(nameof(Metadata), typeof(string)),
            new VectorStoreDataProperty(nameof(EmbeddingModel), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(CreatedAt), typeof(DateTimeOffset)),
            new VectorStoreDataProperty(nameof(LastUsedAt), typeof(DateTimeOffset)),
            new VectorStoreDataProperty(nameof(UseCount), typeof(int)),
            new VectorStoreVectorProperty(nameof(Vector), typeof(ReadOnlyMemory<float>), dimensions)
            {
                DistanceFunction = Microsoft.Extensions.VectorData.DistanceFunction.CosineSimilarity,
            },
        ],
    };
}
