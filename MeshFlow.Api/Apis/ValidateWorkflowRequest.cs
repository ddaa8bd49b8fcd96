using System.Text.Json;

namespace MeshFlow.Api.Apis;

/// <summary>
/// The JSON body of <c>POST /workflows/validate</c>: the definition as YAML text, or as a JSON object.
/// A body sent as <c>application/yaml</c> or <c>text/plain</c> is taken as the YAML itself.
/// </summary>
public sealed record ValidateWorkflowRequest(string? Yaml, JsonElement? Workflow);
