namespace MeshFlow.Retrieval.Vectors;

/// <summary>
/// A vector collection holds vectors of another embedding model (or dimensions) than the ones being written or searched
/// with: mixing them would compare vectors from different spaces.
/// </summary>
public sealed class VectorModelMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception for a collection and the two models.</summary>
    public VectorModelMismatchException(string collectionName, string collectionModel, int collectionDimensions, string model, int dimensions)
        : base($"vector collection '{collectionName}' holds vectors of embedding model '{collectionModel}' ({collectionDimensions} dimensions); " +
            $"it cannot take vectors of '{model}' ({dimensions} dimensions): re-embed the collection, or use another one")
    {
        CollectionName = collectionName;
        CollectionModel = collectionModel;
        CollectionDimensions = collectionDimensions;
        Model = model;
        Dimensions = dimensions;
    }

    /// <summary>The collection.</summary>
    public string CollectionName { get; }

    /// <summary>The embedding model the collection holds.</summary>
    public string CollectionModel { get; }

    /// <summary>The collection's dimensions.</summary>
    public int CollectionDimensions { get; }

    /// <summary>The model that was refused.</summary>
    public string Model { get; }

    /// <summary>The refused model's dimensions.</summary>
    public int Dimensions { get; }
}
