using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MeshFlow.Cli.Workflows;

/// <summary>
/// Turns a YAML document (a policy file) into the JSON the API takes: plain scalars become numbers, booleans and null
/// where they read as such, quoted ones stay strings. JSON is YAML, so a JSON file reads the same.
/// </summary>
/// <remarks>
/// It reads the parser's events rather than a loaded document, so nesting is bounded before it is built and an alias
/// is refused where it stands: a policy never needs either, and both let a small file cost unbounded time and memory.
/// </remarks>
internal static class YamlJson
{
    /// <summary>The deepest nesting read, as for workflow definitions.</summary>
    public const int MaxDepth = 64;

    /// <summary>The document's JSON; a problem names the file, line and column.</summary>
    public static JsonNode? Convert(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                throw new CliException($"{file}: is empty");
            }

            parser.Consume<DocumentStart>();
            var root = Read(parser, file, depth: 1);
            parser.Consume<DocumentEnd>();
            return parser.Accept<StreamEnd>(out _)
                ? root
                : throw new CliException($"{file}: holds more than one YAML document; one is expected");
        }
        catch (YamlException ex)
        {
            throw new CliException($"{file}:{ex.Start.Line}:{ex.Start.Column}: {ex.Message}");
        }
    }

    private static JsonNode? Read(IParser parser, string file, int depth)
    {
        var current = parser.Current ?? throw new CliException($"{file}: ends early");
        if (current is AnchorAlias || current is NodeEvent { Anchor.IsEmpty: false })
        {
            throw Problem(file, current, "anchors and aliases are not supported here");
        }

        if (current is MappingStart or SequenceStart && depth > MaxDepth)
        {
            throw Problem(file, current, $"nesting deeper than {MaxDepth} levels");
        }

        switch (current)
        {
            case MappingStart:
                parser.MoveNext();
                var json = new JsonObject();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    if (parser.Current is not Scalar { Anchor.IsEmpty: true } key)
                    {
                        throw Problem(file, parser.Current!, "a key must be a plain name");
                    }

                    if (json.ContainsKey(key.Value))
                    {
                        throw Problem(file, key, $"'{key.Value}' is given twice");
                    }

                    parser.MoveNext();
                    json[key.Value] = Read(parser, file, depth + 1);
                }

                return json;
            case SequenceStart:
                parser.MoveNext();
                var array = new JsonArray();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    array.Add(Read(parser, file, depth + 1));
                }

                return array;
            case Scalar scalar:
                parser.MoveNext();
                return scalar.Style is ScalarStyle.Plain ? Plain(scalar.Value) : JsonValue.Create(scalar.Value);
            default:
                throw Problem(file, current, "this is not a value");
        }
    }

    private static CliException Problem(string file, ParsingEvent at, string message) =>
        new($"{file}:{at.Start.Line}:{at.Start.Column}: {message}");

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
