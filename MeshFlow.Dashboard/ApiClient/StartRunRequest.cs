using System.Text.Json.Serialization;

namespace MeshFlow.Dashboard.ApiClient;

/// <summary>The body of <c>POST /runs</c>: a registered workflow by name, or a definition as YAML, and the input.</summary>
public sealed record StartRunRequest(
    [property: JsonPropertyName("workflow"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Workflow,
    [property: JsonPropertyName("yaml"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Yaml,
    [property: JsonPropertyName("input")] string Input);
