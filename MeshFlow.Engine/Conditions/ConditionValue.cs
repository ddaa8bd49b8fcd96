using System.Globalization;
using System.Text.Json;

namespace MeshFlow.Conditions;

/// <summary>
/// A value produced while evaluating a condition: null, a string, a number or a boolean. A small struct so that
/// evaluating a typical condition does not allocate.
/// </summary>
internal readonly struct ConditionValue
{
    private const int DescribedTextLimit = 40;

    private ConditionValue(ConditionValueKind kind, string? text, double number, bool isTrue)
    {
        Kind = kind;
        Text = text;
        Number = number;
        IsTrue = isTrue;
    }

    public static ConditionValue Null => default;

    public static ConditionValue True => new(ConditionValueKind.Boolean, null, 0, isTrue: true);

    public static ConditionValue False => new(ConditionValueKind.Boolean, null, 0, isTrue: false);

    public ConditionValueKind Kind { get; }

    /// <summary>The string, when <see cref="Kind"/> is <see cref="ConditionValueKind.Text"/>.</summary>
    public string? Text { get; }

    /// <summary>The number, when <see cref="Kind"/> is <see cref="ConditionValueKind.Number"/>.</summary>
    public double Number { get; }

    /// <summary>The boolean, when <see cref="Kind"/> is <see cref="ConditionValueKind.Boolean"/>.</summary>
    public bool IsTrue { get; }

    public bool IsBoolean => Kind == ConditionValueKind.Boolean;

    public static ConditionValue FromText(string? text) =>
        text is null ? Null : new(ConditionValueKind.Text, text, 0, isTrue: false);

    public static ConditionValue FromNumber(double number) => new(ConditionValueKind.Number, null, number, isTrue: false);

    public static ConditionValue FromBoolean(bool value) => value ? True : False;

    /// <summary>
    /// Maps a state value: strings, numbers, booleans and null map to themselves; arrays and objects become
    /// their raw JSON text.
    /// </summary>
    public static ConditionValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => FromText(element.GetString()),
        JsonValueKind.Number => element.TryGetDouble(out var number)
            ? FromNumber(number)
            : FromText(element.GetRawText()),
        JsonValueKind.True => True,
        JsonValueKind.False => False,
        JsonValueKind.Object or JsonValueKind.Array => FromText(element.GetRawText()),
        _ => Null,
    };

    /// <summary>Equality as the <c>==</c> operator sees it: values of different kinds are simply not equal.</summary>
    public bool SameAs(ConditionValue other)
    {
        if (Kind != other.Kind)
        {
            return false;
        }

        return Kind switch
        {
            ConditionValueKind.Text => string.Equals(Text, other.Text, StringComparison.Ordinal),
            ConditionValueKind.Number => Number == other.Number,
            ConditionValueKind.Boolean => IsTrue == other.IsTrue,
            _ => true,
        };
    }

    /// <summary>Describes the value for an error message, e.g. <c>a string ('abc')</c> or <c>a number (3)</c>.</summary>
    public string Describe() => Kind switch
    {
        ConditionValueKind.Text => $"a string ('{Shorten(Text!)}')",
        ConditionValueKind.Number => $"a number ({Number.ToString(CultureInfo.InvariantCulture)})",
        ConditionValueKind.Boolean => IsTrue ? "true" : "false",
        _ => "null",
    };

    private static string Shorten(string text) =>
        text.Length <= DescribedTextLimit ? text : string.Concat(text.AsSpan(0, DescribedTextLimit), "…");
}
