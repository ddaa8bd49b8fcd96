using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace MeshFlow.Governance;

/// <summary>A policy value read from JSON.</summary>
public sealed class JsonPolicyValue(JsonElement element) : IPolicyValue
{
    /// <summary>The element.</summary>
    public JsonElement Element { get; } = element;

    /// <inheritdoc />
    public bool IsNull => Element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    /// <inheritdoc />
    public bool TryGetInteger(out long value)
    {
        value = 0;
        return Element.ValueKind == JsonValueKind.Number && Element.TryGetInt64(out value);
    }

    /// <inheritdoc />
    public bool TryGetDecimal(out decimal value)
    {
        value = 0;
        return Element.ValueKind == JsonValueKind.Number && Element.TryGetDecimal(out value);
    }

    /// <inheritdoc />
    public bool TryGetDouble(out double value)
    {
        value = 0;
        return Element.ValueKind == JsonValueKind.Number && Element.TryGetDouble(out value) && double.IsFinite(value);
    }

    /// <inheritdoc />
    public bool TryGetBool(out bool value)
    {
        value = Element.ValueKind == JsonValueKind.True;
        return Element.ValueKind is JsonValueKind.True or JsonValueKind.False;
    }

    /// <inheritdoc />
    public bool TryGetString([NotNullWhen(true)] out string? value)
    {
        value = Element.ValueKind == JsonValueKind.String ? Element.GetString() : null;
        return value is not null;
    }

    /// <inheritdoc />
    public bool TryGetList(out IReadOnlyList<IPolicyValue> items)
    {
        items = Element.ValueKind == JsonValueKind.Array
            ? [.. Element.EnumerateArray().Select(item => new JsonPolicyValue(item))]
            : [];
        return Element.ValueKind == JsonValueKind.Array;
    }

    /// <inheritdoc />
    public bool TryGetMap(out IReadOnlyList<(IPolicyValue Key, IPolicyValue Value)> entries)
    {
        entries = Element.ValueKind == JsonValueKind.Object
            ? [.. Element.EnumerateObject().Select(p => ((IPolicyValue)new PolicyName(p.Name), (IPolicyValue)new JsonPolicyValue(p.Value)))]
            : [];
        return Element.ValueKind == JsonValueKind.Object;
    }

    /// <inheritdoc />
    public string Describe() => Element.ValueKind switch
    {
        JsonValueKind.Number => $"the number {Element.GetRawText()}",
        JsonValueKind.String => PolicyName.DescribeText(Element.GetString()!),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => "nothing",
    };
}
