using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeshFlow.Declarative;

/// <summary>
/// What a YAML scalar means, following the YAML 1.2 core schema: a quoted or block scalar (or one tagged
/// <c>!!str</c>) is always a string; a plain one may be null, a boolean, an integer or a decimal number.
/// </summary>
internal static partial class Scalars
{
    private const string StringTag = "tag:yaml.org,2002:str";

    /// <summary>True for an empty plain scalar, <c>~</c> or <c>null</c>.</summary>
    public static bool IsNull(YamlScalarNode scalar) =>
        IsPlain(scalar) && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    /// <summary>True for a plain (unquoted, untagged) scalar, whose text may stand for something else than a string.</summary>
    public static bool IsPlain(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any &&
        (scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific || scalar.Tag.Value != StringTag);

    /// <summary>True when the node is missing or is a null scalar.</summary>
    public static bool IsNull(YamlNode? node) => node is null || node is YamlScalarNode scalar && IsNull(scalar);

    public static bool TryBoolean(YamlScalarNode scalar, out bool value)
    {
        value = false;
        if (!IsPlain(scalar))
        {
            return false;
        }

        switch (scalar.Value)
        {
            case "true" or "True" or "TRUE":
                value = true;
                return true;
            case "false" or "False" or "FALSE":
                return true;
            default:
                return false;
        }
    }

    public static bool TryInteger(YamlScalarNode scalar, out long value)
    {
        value = 0;
        return IsPlain(scalar) && scalar.Value is { } text && IntegerPattern().IsMatch(text) &&
               long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryNumber(YamlScalarNode scalar, out double value)
    {
        value = 0;
        return IsPlain(scalar) && scalar.Value is { } text && NumberPattern().IsMatch(text) &&
               double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) &&
               double.IsFinite(value);
    }

    public static bool TryDecimal(YamlScalarNode scalar, out decimal value)
    {
        value = 0;
        return IsPlain(scalar) && scalar.Value is { } text && NumberPattern().IsMatch(text) &&
               decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>True when the plain scalar reads as an integer or a decimal number.</summary>
    public static bool LooksNumeric(YamlScalarNode scalar) =>
        scalar.Value is { } text && NumberPattern().IsMatch(text);

    /// <summary>
    /// A scalar's value as a .NET value: quoted or block scalars are strings; plain ones are null, booleans
    /// (<see cref="bool"/>), integers (<see cref="long"/>), decimal numbers (<see cref="double"/>) or strings.
    /// </summary>
    public static object? Infer(YamlScalarNode scalar)
    {
        if (!IsPlain(scalar))
        {
            return scalar.Value ?? string.Empty;
        }

        if (IsNull(scalar))
        {
            return null;
        }

        if (TryBoolean(scalar, out var boolean))
        {
            return boolean;
        }

        if (TryInteger(scalar, out var integer))
        {
            return integer;
        }

        return TryNumber(scalar, out var number) ? number : scalar.Value;
    }

    /// <summary>
    /// Parses a duration: a number of seconds (<c>30</c>, <c>1.5</c>) or a number with a unit: <c>500ms</c>,
    /// <c>30s</c>, <c>2m</c>, <c>1h</c>.
    /// </summary>
    public static bool TryDuration(string text, out TimeSpan value)
    {
        value = default;
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success ||
            !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        var milliseconds = match.Groups[2].Value switch
        {
            "ms" => amount,
            "" or "s" => amount * 1_000,
            "m" => amount * 60_000,
            _ => amount * 3_600_000,
        };
        if (!double.IsFinite(milliseconds) || milliseconds > TimeSpan.MaxValue.TotalMilliseconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }

    /// <summary>How a node reads in a message: <c>a list</c>, <c>the number 3</c>, <c>the string 'x'</c>...</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode scalar when IsNull(scalar) => "nothing",
        YamlScalarNode scalar when TryBoolean(scalar, out _) => scalar.Value!,
        YamlScalarNode scalar when IsPlain(scalar) && LooksNumeric(scalar) => $"the number {scalar.Value}",
        YamlScalarNode scalar when !IsPlain(scalar) && scalar.Value is { } text && IsPlainLiteral(text) =>
            $"the string '{Shorten(text)}' (remove the quotes)",
        YamlScalarNode scalar => $"the string '{Shorten(scalar.Value ?? string.Empty)}'",
        _ => "an alias",
    };

    private static bool IsPlainLiteral(string text) =>
        NumberPattern().IsMatch(text) || text is "true" or "false";

    private static string Shorten(string text) =>
        text.Length <= 40 ? text.ReplaceLineEndings(" ") : text[..37].ReplaceLineEndings(" ") + "...";

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h)?$")]
    private static partial Regex DurationPattern();
}
