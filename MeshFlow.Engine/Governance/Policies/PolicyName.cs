using System.Diagnostics.CodeAnalysis;

namespace MeshFlow.Governance;

/// <summary>A bare name standing as a policy value: the key of a JSON object's member, which has no element of its own.</summary>
internal sealed class PolicyName(string name) : IPolicyValue
{
    public bool IsNull => false;

    public bool TryGetInteger(out long value)
    {
        value = 0;
        return false;
    }

    public bool TryGetDecimal(out decimal value)
    {
        value = 0;
        return false;
    }

    public bool TryGetDouble(out double value)
    {
        value = 0;
        return false;
    }

    public bool TryGetBool(out bool value)
    {
        value = false;
        return false;
    }

    public bool TryGetString([NotNullWhen(true)] out string? value)
    {
        value = name;
        return true;
    }

    public bool TryGetList(out IReadOnlyList<IPolicyValue> items)
    {
        items = [];
        return false;
    }

    public bool TryGetMap(out IReadOnlyList<(IPolicyValue Key, IPolicyValue Value)> entries)
    {
        entries = [];
        return false;
    }

    public string Describe() => DescribeText(name);

    /// <summary><c>the string 'x'</c>, shortened when long.</summary>
    public static string DescribeText(string text) =>
        $"the string '{(text.Length <= 40 ? text : text[..37] + "...").ReplaceLineEndings(" ")}'";
}
