using System.Collections.ObjectModel;
using Microsoft.Extensions.AI;

namespace MeshFlow.Governance.Risk;

/// <summary>A tool that passes everything through to the original and adds a risk declaration (<see cref="ToolRisk.WithRisk"/>).</summary>
internal sealed class RiskDeclaringFunction : DelegatingAIFunction
{
    private readonly ReadOnlyDictionary<string, object?> _properties;

    public RiskDeclaringFunction(AIFunction original, RiskTier tier)
        : base(original)
    {
        // Built once: the engine reads the declaration on every call of the tool.
        var properties = new Dictionary<string, object?>(original.AdditionalProperties, StringComparer.Ordinal)
        {
            [ToolRisk.PropertyKey] = tier,
        };
        _properties = properties.AsReadOnly();
    }

    public AIFunction Original => InnerFunction;

    public override IReadOnlyDictionary<string, object?> AdditionalProperties => _properties;
}
