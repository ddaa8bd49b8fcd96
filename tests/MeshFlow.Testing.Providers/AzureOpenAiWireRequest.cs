using System.Text.Json.Nodes;

namespace MeshFlow.Testing.Providers;

/// <summary>A request <see cref="FakeAzureOpenAiServer"/> was sent, as it came over the wire.</summary>
/// <param name="Path">The request path (<c>/openai/deployments/prod-4o/chat/completions</c>).</param>
/// <param name="ApiVersion">The <c>api-version</c> query parameter, if any.</param>
/// <param name="ApiKey">The <c>api-key</c> header, if any.</param>
/// <param name="Authorization">The <c>Authorization</c> header, if any.</param>
/// <param name="Body">The JSON body.</param>
public sealed record AzureOpenAiWireRequest(string Path, string? ApiVersion, string? ApiKey, string? Authorization, JsonObject Body);
