using System.Text.Json.Nodes;

namespace MeshFlow.Testing.Providers;

/// <summary>A request <see cref="FakeGeminiServer"/> was sent, as it came over the wire.</summary>
/// <param name="Path">The request path (<c>/v1beta/openai/chat/completions</c>).</param>
/// <param name="Authorization">The <c>Authorization</c> header, if any.</param>
/// <param name="Body">The JSON body.</param>
public sealed record GeminiWireRequest(string Path, string? Authorization, JsonObject Body);
