using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeshFlow.Cli.Workflows;

/// <summary>
/// Turns a YAML document (a policy file) into the JSON the API takes: plain scalars become numbers, booleans and null
/// where they read as such, quoted ones stay strings. JSON is YAML, so a JSON file reads the same.
/// </summary>
internal static class YamlJson
{
    /// <summary>The document's JSON; a problem names the file, line and column.</summary>
    public static JsonNode? Convert(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new CliException($"{file}:{ex.Start.Line}:{ex.Start.Column}: {ex.Message}");
        }

        return stream.Documents.Count switch
        {
            0 => throw new CliException($"{file}: is empty"),
            1 => Node(stream.Documents[0].RootNode, file),
            _ => throw new CliException($"{file}: holds {stream.Documents.Count} YAML documents; one is expected"),
        };
    }

    private static JsonNode? Node(YamlNode node, string file)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var json = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw new CliException($"{file}:{key.Start.Line}:{key.Start.Column}: a key must be a plain name");
                    }

                    if (json.ContainsKey(name))
                    {
                        throw new CliException($"{file}:{key.Start.Line}:{key.Start.Column}: '{name}' is given twice");
                    }

                    json[name] = Node(value, file);
                }

                return json;
            case YamlSequenceNode sequence:
                return new JsonArray([.. sequence.Children.Select(child => Node(child, file))]);
            case YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain:
                return Plain(scalar.Value ?? "");
            case YamlScalarNode scalar:
                return JsonValue.Create(scalar.Value ?? "");
            default:
                throw new CliException($"{file}:{node.Start.Line}:{node.Start.Column}: aliases and tags are not supported here");
        }
    }

    private static JsonValue? Plain(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonValue.Create(whole),
        _ when decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        _ => JsonValue.Create(value),
    };
}
