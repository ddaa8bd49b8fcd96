namespace MeshFlow.Retrieval.Vectors;

/// <summary>
/// The names of MeshFlow's vector collections: one per tenant and knowledge base, one per tenant for agent memory.
/// </summary>
/// <remarks>
/// A name starts with its tenant id and a colon, which tenant ids never contain, so a store can tell whose a collection
/// is from its name alone (<see cref="TenantOf"/>) and keep tenants apart by key.
/// </remarks>
public static class VectorCollectionNames
{
    /// <summary>What separates a collection name's parts.</summary>
    public const char Separator = ':';

    /// <summary>The collection of a tenant's knowledge base <paramref name="name"/>.</summary>
    public static string Knowledge(string tenantId, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return $"{Tenant(tenantId)}{Separator}knowledge{Separator}{name}";
    }

    /// <summary>The collection of a tenant's agent memories (every scope of the tenant).</summary>
    public static string Memory(string tenantId) => $"{Tenant(tenantId)}{Separator}memory";

    /// <summary>The tenant a collection name belongs to, or null for a name not made by this class.</summary>
    public static string? TenantOf(string collectionName)
    {
        ArgumentNullException.ThrowIfNull(collectionName);
        var separator = collectionName.IndexOf(Separator, StringComparison.Ordinal);
        return separator > 0 ? collectionName[..separator] : null;
    }

    /// <summary>The knowledge base a collection name names, or null when it is not a knowledge collection.</summary>
    public static string? KnowledgeBaseOf(string collectionName)
    {
        ArgumentNullException.ThrowIfNull(collectionName);
        var parts = collectionName.Split(Separator, 3);
        return parts is [{ Length: > 0 }, "knowledge", { Length: > 0 } name] ? name : null;
    }

    private static string Tenant(string tenantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return tenantId.Contains(Separator, StringComparison.Ordinal)
            ? throw new ArgumentException($"a tenant id cannot contain '{Separator}'", nameof(tenantId))
            : tenantId;
    }
}
