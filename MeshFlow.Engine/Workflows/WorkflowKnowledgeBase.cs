using System.Security.Cryptography;
using System.Text;
using MeshFlow.Retrieval.Documents;

namespace MeshFlow.Workflows;

/// <summary>
/// A knowledge base a workflow carries (<see cref="WorkflowBuilder.AddKnowledgeBase"/>): its documents are ingested
/// into the tenant's knowledge base of that name before the workflow's first rag step reads it.
/// </summary>
public sealed class WorkflowKnowledgeBase
{
    internal WorkflowKnowledgeBase(string name, IReadOnlyList<KnowledgeDocument> documents)
    {
        Name = name;
        Documents = documents;
        Digest = ComputeDigest(documents);
    }

    /// <summary>The knowledge base's name.</summary>
    public string Name { get; }

    /// <summary>The documents, each with a stable id: its own, or one derived from its text.</summary>
    public IReadOnlyList<KnowledgeDocument> Documents { get; }

    /// <summary>The SHA-256 (hex) of the documents' ids, sources, metadata and texts: changes when any document does.</summary>
    public string Digest { get; }

    /// <summary>The id a document without one gets: <c>doc-</c> and the first 16 hex digits of its text's SHA-256.</summary>
    public static string ContentId(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "doc-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    private static string ComputeDigest(IReadOnlyList<KnowledgeDocument> documents)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var document in documents)
        {
            // Length-prefixed fields, so no two different document lists hash alike by moving a boundary.
            Append(hash, document.Id);
            Append(hash, document.Source);
            foreach (var (key, value) in (document.Metadata ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Append(hash, key);
                Append(hash, value);
            }

            Append(hash, document.Text);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Append(IncrementalHash hash, string? value)
    {
        var bytes = Encoding.UTF8.GetBytes(value ?? string.Empty);
        hash.AppendData(BitConverter.GetBytes(value is null ? -1 : bytes.Length));
        hash.AppendData(bytes);
    }
}
