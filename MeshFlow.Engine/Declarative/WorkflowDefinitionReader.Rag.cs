using MeshFlow.Diagnostics;
using MeshFlow.Governance.Risk;
using MeshFlow.Retrieval.Documents;
using MeshFlow.Workflows;

namespace MeshFlow.Declarative;

/// <summary>Reading a <c>kind: rag</c> node: <c>knowledge</c>, <c>query</c>, <c>top_k</c> and <c>mode</c>.</summary>
internal sealed partial class WorkflowDefinitionReader
{
    // A property, not a field: the node reader's static fields (in another part of this class) are built from it, and
    // the order in which the parts' static fields are initialized is not defined.
    private static string[] RagFields => ["id", "kind", "role", "risk", "knowledge", "query", "top_k", "mode"];
    private static readonly string[] RetrievalModes = ["hybrid", "vector", "keyword"];

    private RagNode? ReadRag(YamlFields fields, string? id, string where, string? role, RiskTier risk, SourceLocation location)
    {
        var knowledge = ReadKnowledgeName(fields, where);
        var query = ReadString(fields, "query", where);
        if (query is not null && string.IsNullOrWhiteSpace(query))
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'query' of {where} is empty: write the query, where {RagNode.InputPlaceholder} stands for the node's input, or leave it out to query with the input",
                fields.PathOf("query"), fields["query"]!);
            query = null;
        }

        var topK = ReadInteger(fields, "top_k", where, 1, RagNode.MaxTopK);
        var mode = ReadMode(fields, where);
        return id is null || knowledge is null
            ? null
            : new RagNode(id, knowledge)
            {
                Role = role, Risk = risk, Location = location, Query = query, TopK = topK is { } k ? (int)k : RagNode.DefaultTopK, Mode = mode,
            };
    }

    private string? ReadKnowledgeName(YamlFields fields, string where)
    {
        if (!fields.Has("knowledge"))
        {
            Error(WorkflowErrorCodes.MissingField,
                $"{where} is a rag node but has no 'knowledge': add the name of the knowledge base it retrieves from, such as 'knowledge: handbook'",
                fields.PathOf("knowledge"), fields.Mapping);
            return null;
        }

        if (Scalars.IsNull(fields["knowledge"]))
        {
            Error(WorkflowErrorCodes.InvalidValue, $"'knowledge' of {where} is empty: name the knowledge base it retrieves from",
                fields.PathOf("knowledge"), fields.KeyOf("knowledge")!);
            return null;
        }

        if (ReadScalar(fields, "knowledge", where, "a knowledge base name") is not { } scalar)
        {
            return null;
        }

        if (!KnowledgeBaseNames.IsValid(scalar.Value))
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'knowledge' of {where} is '{scalar.Value}', which is not a knowledge base name: use 1 to 64 lowercase letters, digits, '_' and '-'",
                fields.PathOf("knowledge"), scalar);
            return null;
        }

        return scalar.Value;
    }

    private RetrievalMode? ReadMode(YamlFields fields, string where)
    {
        var expected = $"one of {string.Join(", ", RetrievalModes)}";
        if (ReadScalar(fields, "mode", where, expected) is not { } scalar)
        {
            return null;
        }

        switch (scalar.Value)
        {
            case "hybrid":
                return RetrievalMode.Hybrid;
            case "vector":
                return RetrievalMode.Vector;
            case "keyword":
                return RetrievalMode.Keyword;
        }

        Error(WorkflowErrorCodes.InvalidValue,
            $"unknown retrieval mode '{scalar.Value}' of {where} ({NameSuggestions.Hint(scalar.Value ?? string.Empty, RetrievalModes)}expected {expected})",
            fields.PathOf("mode"), scalar);
        return null;
    }
}
