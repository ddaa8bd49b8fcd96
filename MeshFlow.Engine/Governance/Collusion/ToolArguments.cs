using System.Text.Json;

namespace MeshFlow.Governance.Collusion;

/// <summary>The string values in a tool call's arguments, where a prepared command or payload travels.</summary>
internal static class ToolArguments
{
    private const int MaxValues = 256;

    /// <summary>
    /// Every string value in the JSON (nested objects and arrays included, property names not), whitespace collapsed,
    /// each cut to <paramref name="maxChars"/>. Arguments that are not JSON count as one string.
    /// </summary>
    public static IReadOnlyList<string> StringValues(string arguments, int maxChars)
    {
        var values = new List<string>();
        if (string.IsNullOrWhiteSpace(arguments))
        {
            return values;
        }

        try
        {
            using var document = JsonDocument.Parse(arguments);
            Collect(document.RootElement, values, maxChars);
        }
        catch (JsonException)
        {
            Add(values, arguments, maxChars);
        }

        return values;
    }

    private static void Collect(JsonElement element, List<string> values, int maxChars)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                Add(values, element.GetString()!, maxChars);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, values, maxChars);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, values, maxChars);
                }

                break;
            default:
                break;
        }
    }

    private static void Add(List<string> values, string value, int maxChars)
    {
        if (values.Count >= MaxValues)
        {
            return;
        }

        var collapsed = CollusionText.CollapseWhitespace(CollusionText.Capped(value, maxChars));
        if (collapsed.Length > 0)
        {
            values.Add(collapsed);
        }
    }
}
