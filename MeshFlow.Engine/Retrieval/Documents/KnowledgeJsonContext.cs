using System.Text.Json.Serialization;

namespace MeshFlow.Retrieval.Documents;

/// <summary>Source-generated JSON for chunk metadata.</summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class KnowledgeJsonContext : JsonSerializerContext;
