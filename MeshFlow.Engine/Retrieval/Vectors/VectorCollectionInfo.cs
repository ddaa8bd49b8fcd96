namespace MeshFlow.Retrieval.Vectors;

/// <summary>A durable vector collection's metadata.</summary>
/// <param name="Id">The collection's id, new for every collection created (a deleted and recreated one has another).</param>
/// <param name="TenantId">Its tenant.</param>
/// <param name="Name">Its name.</param>
/// <param name="Dimensions">Its vectors' dimensions.</param>
/// <param name="EmbeddingModel">The embedding model of its vectors; null until the first entry is written.</param>
/// <param name="Version">How many writes it has had.</param>
public sealed record VectorCollectionInfo(long Id, string TenantId, string Name, int Dimensions, string? EmbeddingModel, long Version);
