using Microsoft.Extensions.VectorData;

namespace MeshFlow.Retrieval.Vectors;

/// <summary>The one record shape MeshFlow's stores hold, and the errors for any other.</summary>
internal static class VectorStoreRecordTypes
{
    public static void Require<TKey, TRecord>(string storeName)
    {
        if (typeof(TKey) != typeof(string) || typeof(TRecord) != typeof(VectorEntry))
        {
            throw new NotSupportedException(
                $"{storeName} holds records of type {nameof(VectorEntry)} keyed by string, not {typeof(TRecord).Name} keyed by {typeof(TKey).Name}");
        }
    }

    public static NotSupportedException NoDynamicCollections(string storeName) =>
        new($"{storeName} holds records of type {nameof(VectorEntry)} only; it has no dynamic collections");

    public static object? Service(VectorStore store, VectorStoreMetadata metadata, Type serviceType, object? serviceKey)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreMetadata) ? metadata
            : serviceType.IsInstanceOfType(store) ? store
            : null;
    }
}
