using System.Diagnostics.CodeAnalysis;
using MeshFlow.Governance;
using YamlDotNet.RepresentationModel;

namespace MeshFlow.Declarative;

/// <summary>A policy value read from a YAML node, which keeps the node so a problem is reported at its line and column.</summary>
internal sealed class YamlPolicyValue(YamlNode node) : IPolicyValue
{
    public YamlNode Node { get; } = node;

    public bool IsNull => Scalars.IsNull(Node);

    public bool TryGetInteger(out long value)
    {
        value = 0;
        return Node is YamlScalarNode scalar && Scalars.TryInteger(scalar, out value);
    }

    public bool TryGetDecimal(out decimal value)
    {
        value = 0;
        return Node is YamlScalarNode scalar && Scalars.TryDecimal(scalar, out value);
    }

    public bool TryGetDouble(out double value)
    {
        value = 0;
        return Node is YamlScalarNode scalar && Scalars.TryNumber(scalar, out value);
    }

    public bool TryGetBool(out bool value)
    {
        value = false;
        return Node is YamlScalarNode scalar && Scalars.TryBoolean(scalar, out value);
    }

    public bool TryGetString([NotNullWhen(true)] out string? value)
    {
        value = Node is YamlScalarNode scalar && !Scalars.IsNull(scalar) ? scalar.Value : null;
        return value is not null;
    }

    public bool TryGetList(out IReadOnlyList<IPolicyValue> items)
    {
        items = Node is YamlSequenceNode sequence ? [.. sequence.Children.Select(child => new YamlPolicyValue(child))] : [];
        return Node is YamlSequenceNode;
    }

    public bool TryGetMap(out IReadOnlyList<(IPolicyValue Key, IPolicyValue Value)> entries)
    {
        entries = Node is YamlMappingNode mapping
            ? [.. mapping.Children.Select(e => ((IPolicyValue)new YamlPolicyValue(e.Key), (IPolicyValue)new YamlPolicyValue(e.Value)))]
            : [];
        return Node is YamlMappingNode;
    }

    public string Describe() => Scalars.Describe(Node);
}
