namespace MeshFlow.Retrieval.Vectors;

/// <summary>The checks a durable store makes inside a write's transaction, against the collection as stored.</summary>
internal static class VectorWrites
{
    /// <summary>The collection's embedding model after the write; throws when dimensions or models differ.</summary>
    public static string? CheckModel(string name, int storedDimensions, string? storedModel, int dimensions, IReadOnlyList<VectorEntry> upserts)
    {
        if (storedDimensions != dimensions)
        {
            throw new VectorModelMismatchException(name, storedModel ?? "(none yet)", storedDimensions,
                upserts.Count > 0 ? upserts[0].EmbeddingModel : "(this collection definition)", dimensions);
        }

        var model = storedModel;
        foreach (var entry in upserts)
        {
            model ??= entry.EmbeddingModel;
            if (!string.Equals(entry.EmbeddingModel, model, StringComparison.Ordinal))
            {
                throw new VectorModelMismatchException(name, model, storedDimensions, entry.EmbeddingModel, entry.Vector.Length);
            }
        }

        return model;
    }

    /// <summary>The tenant key a collection's rows are stored under: its name's tenant, or empty for other names.</summary>
    public static string TenantOf(string name) => VectorCollectionNames.TenantOf(name) ?? "";
}
