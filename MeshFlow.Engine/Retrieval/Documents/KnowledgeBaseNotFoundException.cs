namespace MeshFlow.Retrieval.Documents;

/// <summary>A tenant asked for a knowledge base it does not have.</summary>
/// <remarks>The message names the knowledge base only: whether another tenant has one of that name is not told.</remarks>
public sealed class KnowledgeBaseNotFoundException : Exception
{
    /// <summary>Creates the exception for <paramref name="name"/> of <paramref name="tenantId"/>.</summary>
    public KnowledgeBaseNotFoundException(string tenantId, string name)
        : base($"knowledge base '{name}' not found")
    {
        TenantId = tenantId;
        Name = name;
    }

    /// <summary>The tenant that asked.</summary>
    public string TenantId { get; }

    /// <summary>The knowledge base's name.</summary>
    public string Name { get; }
}
