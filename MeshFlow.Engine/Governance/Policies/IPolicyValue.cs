using System.Diagnostics.CodeAnalysis;

namespace MeshFlow.Governance;

/// <summary>
/// One value of a policy field as its source wrote it (a JSON element, a YAML node...), so that one field table
/// (<see cref="PolicyFields"/>) reads every source the same way.
/// </summary>
/// <remarks>
/// Each <c>TryGet</c> answers only for a value written as that kind: a quoted <c>"3"</c> is a string, not an
/// integer. Items of a list and entries of a map are values too, so a problem about one of them can be placed at it.
/// </remarks>
public interface IPolicyValue
{
    /// <summary>True when the value is written as null (a field set to null is not set).</summary>
    bool IsNull { get; }

    /// <summary>The value as a whole number.</summary>
    bool TryGetInteger(out long value);

    /// <summary>The value as an exact decimal number (money).</summary>
    bool TryGetDecimal(out decimal value);

    /// <summary>The value as a number.</summary>
    bool TryGetDouble(out double value);

    /// <summary>The value as <c>true</c> or <c>false</c>.</summary>
    bool TryGetBool(out bool value);

    /// <summary>The value as text (a name, a duration such as <c>30s</c>, <c>none</c>).</summary>
    bool TryGetString([NotNullWhen(true)] out string? value);

    /// <summary>The items of a list.</summary>
    bool TryGetList(out IReadOnlyList<IPolicyValue> items);

    /// <summary>The entries of a map (a JSON object, a YAML mapping), in their written order.</summary>
    bool TryGetMap(out IReadOnlyList<(IPolicyValue Key, IPolicyValue Value)> entries);

    /// <summary>How the value reads in a message: <c>the number -1</c>, <c>the string 'soon'</c>, <c>a list</c>.</summary>
    string Describe();
}
