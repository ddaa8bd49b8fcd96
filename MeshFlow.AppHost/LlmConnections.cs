namespace MeshFlow.AppHost;

/// <summary>The AppHost's LLM connection strings and the AWS parameters Bedrock needs, made once and referenced by each service.</summary>
/// <param name="Connections">One connection-string resource per configured <c>llm</c> / <c>llm-&lt;name&gt;</c>.</param>
/// <param name="Aws">The standard AWS variables the AppHost was given, by variable name.</param>
public sealed record LlmConnections(
    IReadOnlyList<IResourceBuilder<IResourceWithConnectionString>> Connections,
    IReadOnlyDictionary<string, IResourceBuilder<ParameterResource>> Aws);
