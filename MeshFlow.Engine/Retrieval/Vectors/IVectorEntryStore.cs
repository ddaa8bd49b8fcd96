namespace MeshFlow.Retrieval.Vectors;

/// <summary>
/// Where a durable vector store keeps its collections: the ledger's database (both built-in ledger stores implement
/// this). <see cref="LedgerVectorStore"/> is built on it.
/// </summary>
/// <remarks>
/// <para><b>Tenancy.</b> Every collection and entry row has a tenant id that leads its key, and every operation is
/// scoped to one tenant: another tenant's collection of the same name is a different collection.</para>
/// <para><b>Versions.</b> A collection has a version that every write moves on by one, in the write's transaction; each
/// entry row carries the version of its last write. Writes to one collection are serialized, so the versions a reader
/// sees are committed in order: reading the rows above a version brings a copy up to date. A deleted entry stays as a
/// tombstone without its text, vector or metadata, so readers learn of the delete.</para>
/// <para><b>One model.</b> A collection's dimensions are fixed at its creation and its embedding model by its first
/// entry; a write of another is refused in its transaction (<see cref="VectorModelMismatchException"/>).</para>
/// <para><b>Erasure.</b> <see cref="DeleteRunVectorsAsync"/> and <see cref="DeleteTenantVectorsAsync"/> remove the text
/// and vectors from the tables; the ledger's erasure of a whole run does the former in its own transaction.</para>
/// </remarks>
public interface IVectorEntryStore
{
    /// <summary>A collection's metadata (one indexed read), or null when the tenant has no collection of that name.</summary>
    Task<VectorCollectionInfo?> ReadVectorCollectionAsync(string tenantId, string name, CancellationToken cancellationToken = default);

    /// <summary>Creates the collection unless it exists, and returns it.</summary>
    /// <exception cref="VectorModelMismatchException">It exists with other dimensions.</exception>
    Task<VectorCollectionInfo> CreateVectorCollectionAsync(string tenantId, string name, int dimensions, CancellationToken cancellationToken = default);

    /// <summary>Deletes a collection and its entries; false when there was none.</summary>
    Task<bool> DeleteVectorCollectionAsync(string tenantId, string name, CancellationToken cancellationToken = default);

    /// <summary>The names of every collection, or of one tenant's, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListVectorCollectionsAsync(string? tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Upserts entries and deletes keys in one transaction that moves the collection's version on, creating the
    /// collection (with <paramref name="dimensions"/>) when there are entries to write; returns the collection after the
    /// write, or null when only deletes were asked of a collection that does not exist.
    /// </summary>
    /// <exception cref="VectorModelMismatchException">The collection holds another embedding model or other dimensions.</exception>
    Task<VectorCollectionInfo?> WriteVectorsAsync(string tenantId, string name, int dimensions, IReadOnlyList<VectorEntry> upserts,
        IReadOnlyList<string> deletes, CancellationToken cancellationToken = default);

    /// <summary>
    /// The rows of a collection written after <paramref name="sinceVersion"/>: the entries as they are now, and the keys
    /// deleted (none when <paramref name="sinceVersion"/> is 0, which reads the collection whole).
    /// </summary>
    Task<VectorChanges> ReadVectorChangesAsync(string tenantId, long collectionId, long sinceVersion, CancellationToken cancellationToken = default);

    /// <summary>Deletes every entry a run wrote (<see cref="VectorEntry.RunId"/>), in every collection of the tenant; returns how many.</summary>
    Task<int> DeleteRunVectorsAsync(string tenantId, string runId, CancellationToken cancellationToken = default);

    /// <summary>Deletes every collection and entry of a tenant; returns how many entries.</summary>
    Task<int> DeleteTenantVectorsAsync(string tenantId, CancellationToken cancellationToken = default);
}
