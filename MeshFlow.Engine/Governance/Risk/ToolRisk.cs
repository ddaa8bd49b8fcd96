using System.Text.Json;
using Microsoft.Extensions.AI;

namespace MeshFlow.Governance.Risk;

/// <summary>How a tool declares its <see cref="RiskTier"/>, and how the engine reads that declaration.</summary>
/// <remarks>
/// <para>
/// A tool declares its tier in <see cref="AITool.AdditionalProperties"/> under <see cref="PropertyKey"/>, as a
/// <see cref="RiskTier"/> or as its wire name (<c>low</c>, <c>medium</c>, <c>high</c>, <c>critical</c>; a string or a
/// JSON string, so a declaration can come from configuration). A tool that declares nothing, or something else, is
/// governed as <see cref="RiskTier.High"/> (see <see cref="RiskRules"/>).
/// </para>
/// <para>
/// Two ways to declare one from C#. For a tool you create, pass <see cref="Properties"/> as
/// <see cref="AIFunctionFactoryOptions.AdditionalProperties"/>:
/// <c>AIFunctionFactory.Create(ListFiles, new AIFunctionFactoryOptions { AdditionalProperties = ToolRisk.Properties(RiskTier.Low) })</c>.
/// For a tool you already hold, <see cref="WithRisk"/> wraps it in a <see cref="DelegatingAIFunction"/> that adds the
/// declaration and passes everything else (name, schema, invocation) through to the original.
/// </para>
/// </remarks>
public static class ToolRisk
{
    /// <summary>The <see cref="AITool.AdditionalProperties"/> key a tool declares its tier under.</summary>
    public const string PropertyKey = "meshflow.risk";

    /// <summary>The tier a tool declares, or null when it declares none that MeshFlow understands.</summary>
    public static RiskTier? DeclaredBy(AITool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (!tool.AdditionalProperties.TryGetValue(PropertyKey, out var value))
        {
            return null;
        }

        return value switch
        {
            RiskTier tier when Enum.IsDefined(tier) => tier,
            string name => Parse(name),
            JsonElement { ValueKind: JsonValueKind.String } element => Parse(element.GetString()),
            _ => null,
        };
    }

    /// <summary>
    /// The same tool, declaring <paramref name="tier"/>: a <see cref="DelegatingAIFunction"/> over
    /// <paramref name="tool"/> whose <see cref="AITool.AdditionalProperties"/> add <see cref="PropertyKey"/>.
    /// </summary>
    /// <remarks>Declaring again replaces the earlier declaration rather than stacking wrappers.</remarks>
    public static AIFunction WithRisk(this AIFunction tool, RiskTier tier)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (!Enum.IsDefined(tier))
        {
            throw new ArgumentOutOfRangeException(nameof(tier), tier, "not a risk tier");
        }

        return new RiskDeclaringFunction(tool is RiskDeclaringFunction declared ? declared.Original : tool, tier);
    }

    /// <summary>
    /// Additional properties that declare <paramref name="tier"/>, for
    /// <see cref="AIFunctionFactoryOptions.AdditionalProperties"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, object?> Properties(RiskTier tier) =>
        new Dictionary<string, object?>(StringComparer.Ordinal) { [PropertyKey] = tier };

    /// <summary>The wire name of a tier: <c>low</c>, <c>medium</c>, <c>high</c> or <c>critical</c>.</summary>
    public static string WireName(RiskTier tier) => RiskTiers.Name(tier);

    // Wire names only (a host's configuration may write them in any case): a number or a C# member name is a mistake,
    // not a declaration, and leaves the tool undeclared (high).
    private static RiskTier? Parse(string? name) =>
        RiskTiers.TryParse(name?.ToLowerInvariant(), out var tier) ? tier : null;
}
