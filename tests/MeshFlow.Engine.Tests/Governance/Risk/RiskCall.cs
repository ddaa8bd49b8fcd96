using System.Text.Json;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Tests.Governance.Risk;

/// <summary>Assesses a tool call whose arguments arrive as a model sends them: a JSON object, one JsonElement per argument.</summary>
internal static class RiskCall
{
    public static readonly RiskRuleOptions Scratch = new()
    {
        ScratchFolder = "/runs/r1/scratch",
        AllowedHosts = ["example.com", "api.partner.io"],
    };

    private static readonly Dictionary<string, RiskTier> s_noOverrides = [];

    public static RiskAssessment Assess(
        string tool, RiskTier? declared, string argumentsJson, RiskRuleOptions? options = null,
        IReadOnlyDictionary<string, RiskTier>? overrides = null) =>
        RiskRules.AssessTool(tool, declared, overrides ?? s_noOverrides, Arguments(argumentsJson), options ?? Scratch);

    public static List<KeyValuePair<string, object?>> Arguments(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (object?)p.Value.Clone()))];
    }
}
