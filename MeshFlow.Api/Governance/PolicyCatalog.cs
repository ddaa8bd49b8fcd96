using System.Text.Json.Serialization;
using MeshFlow.Governance;

namespace MeshFlow.Api.Governance;

/// <summary>What <c>GET /policies</c> answers: each preset's values, and each field's meaning and format.</summary>
public sealed record PolicyCatalog(
    [property: JsonPropertyName("modes")] IReadOnlyList<string> Modes,
    [property: JsonPropertyName("presets")] IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Presets,
    [property: JsonPropertyName("fields")] IReadOnlyList<PolicyFieldView> Fields)
{
    /// <summary>The catalog of this build.</summary>
    public static PolicyCatalog Current { get; } = new(PolicyModes.All, PolicyPresets.Values,
        [.. PolicyFields.All.Select(f => new PolicyFieldView(f.Name, f.Meaning, f.Expected))]);
}

/// <summary>One policy field: its name, what it limits and what it takes.</summary>
public sealed record PolicyFieldView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("meaning")] string Meaning,
    [property: JsonPropertyName("expected")] string Expected);
