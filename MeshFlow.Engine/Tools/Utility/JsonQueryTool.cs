using System.Globalization;
using System.Text;
using DevLab.JmesPath;
using DevLab.JmesPath.Expressions;
using MeshFlow.Governance.Risk;
using MeshFlow.Tools.BuiltIn;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MeshFlow.Tools.Utility;

/// <summary>
/// <c>json_query(data, path)</c>: a JSONPath query (a path starting with <c>$</c>, evaluated by Newtonsoft.Json's
/// <c>SelectTokens</c>) or a JMESPath query (anything else, evaluated by JmesPath.Net) over a JSON text.
/// </summary>
internal sealed partial class JsonQueryTool : BuiltInTool
{
    /// <summary>The largest JSON text queried, in UTF-8 bytes.</summary>
    public const int MaxDataBytes = 1 << 20;

    /// <summary>The longest query.</summary>
    public const int MaxPathChars = 1_000;

    /// <summary>The most times a JMESPath expression may repeat its input (<see cref="JmesPathRepeatBound"/>).</summary>
    /// <remarks>
    /// A JMESPath result is built in memory before the output cap applies, and evaluation is synchronous, so the timeout
    /// cannot stop it: the bound is checked before evaluating. 256 copies allows any realistic reshaping (a hash of a few
    /// dozen keys, nested a level or two) while <c>[@,@]</c> doubling stops at eight steps.
    /// </remarks>
    public const int MaxRepeat = 256;

    /// <summary>The most UTF-8 bytes of data times the repeat bound, so a large document allows fewer copies.</summary>
    /// <remarks>A parsed document takes roughly fifteen times its text in memory, so this keeps a result near 250 MB at most.</remarks>
    public const long MaxRepeatedBytes = 16L << 20;

    /// <summary>The most JSONPath matches returned; the result says when more were left out.</summary>
    public const int MaxMatches = 10_000;

    private const int MaxJsonDepth = 128;

    private const int MaxOutput = 100_000;

    /// <summary>Room kept under the output cap for the wrapper of a cut JSONPath result.</summary>
    private const int CutWrapperRoom = 200;

    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "data": {
              "type": "string",
              "minLength": 1,
              "description": "The JSON document to query, as text (at most 1 MiB)."
            },
            "path": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1000,
              "description": "A JSONPath starting with '$' (e.g. \"$.items[?(@.price < 10)].name\"; the result is the array of matches, or {\"matches\": [the first ones], \"cut\": \"why\"} when there are too many) or a JMESPath expression (e.g. \"items[?price < `10`].name\")."
            }
          },
          "required": ["data", "path"],
          "additionalProperties": false
        }
        """;

    public JsonQueryTool()
        : base(
            BuiltInToolNames.JsonQuery,
            "Queries a JSON text. A path starting with '$' is JSONPath and returns a JSON array of the matching values " +
            "(when they are too many or too long, an object {\"matches\": [the first ones], \"cut\": \"why\"}); " +
            "any other path is JMESPath and returns its result as JSON. A JMESPath expression whose multiselects " +
            "([a, b], {k: a, l: b}) could repeat the data more than 256 times is refused.",
            Schema,
            RiskTier.Low,
            TimeSpan.FromSeconds(5),
            MaxOutput)
    {
    }

    protected override ValueTask<string> RunAsync(ToolArguments arguments, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var data = arguments.RequiredString("data");
        var path = arguments.RequiredString("path").Trim();
        if (Encoding.UTF8.GetByteCount(data) > MaxDataBytes)
        {
            throw new BuiltInToolException(string.Create(CultureInfo.InvariantCulture, $"json_query: the data is larger than {MaxDataBytes:N0} bytes"));
        }

        if (path.Length is 0 or > MaxPathChars)
        {
            throw new BuiltInToolException(string.Create(CultureInfo.InvariantCulture, $"json_query: the path must have 1 to {MaxPathChars:N0} characters"));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (path.StartsWith('$'))
        {
            return ValueTask.FromResult(JsonPath(Parse(data), path, cancellationToken));
        }

        // The expression is parsed and bounded before the data, so a refused expression costs nothing.
        var expression = ParseJmesPath(path);
        CheckRepeatBound(path, Encoding.UTF8.GetByteCount(data));
        var document = Parse(data);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(JmesPath(expression, document));
    }

    private static JToken Parse(string data)
    {
        try
        {
            using var reader = new JsonTextReader(new StringReader(data))
            {
                DateParseHandling = DateParseHandling.None,
                MaxDepth = MaxJsonDepth,
            };
            var token = JToken.ReadFrom(reader);
            if (reader.Read())
            {
                throw new BuiltInToolException(string.Create(
                    CultureInfo.InvariantCulture, $"json_query: invalid JSON: unexpected content after the value at line {reader.LineNumber}, position {reader.LinePosition}"));
            }

            return token;
        }
        catch (JsonReaderException exception)
        {
            throw new BuiltInToolException(string.Create(
                CultureInfo.InvariantCulture, $"json_query: invalid JSON at line {exception.LineNumber}, position {exception.LinePosition}: {Reason(exception.Message)}"), exception);
        }
    }

    private static string JsonPath(JToken document, string path, CancellationToken cancellationToken)
    {
        var settings = new JsonSelectSettings { ErrorWhenNoMatch = false, RegexMatchTimeout = TimeSpan.FromMilliseconds(100) };
        var budget = MaxOutput - CutWrapperRoom;
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        string? cut = null;
        try
        {
            // SelectTokens is lazy: each match is written as it is found, and the walk stops at the first match past
            // the count or the output cap, so neither the matches nor their text are ever held beyond the cap.
            using var writer = new JsonTextWriter(text) { Formatting = Formatting.None, CloseOutput = false, AutoCompleteOnClose = false };
            writer.WriteStartArray();
            writer.Flush();
            var count = 0;
            foreach (var match in document.SelectTokens(path, settings))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (count == MaxMatches)
                {
                    cut = string.Create(CultureInfo.InvariantCulture, $"json_query: more than {MaxMatches:N0} matches; the first {count:N0} are shown");
                    break;
                }

                var before = text.GetStringBuilder().Length;
                match.WriteTo(writer);
                writer.Flush();
                if (text.GetStringBuilder().Length > budget)
                {
                    text.GetStringBuilder().Length = before;
                    cut = string.Create(CultureInfo.InvariantCulture, $"json_query: the matches pass {budget:N0} characters; the first {count:N0} are shown");
                    break;
                }

                count++;
            }
        }
        catch (JsonException exception)
        {
            throw new BuiltInToolException($"json_query: invalid JSONPath: {Reason(exception.Message)}", exception);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException exception)
        {
            throw new BuiltInToolException("json_query: a regular expression in the JSONPath took too long and was stopped", exception);
        }

        // The writer is not closed on the cut text: the array is closed here, after any match removed for length.
        var matches = text.GetStringBuilder().Append(']').ToString();
        if (cut is null)
        {
            return matches;
        }

        return string.Concat("{\"matches\":", matches, ",\"cut\":", JsonConvert.ToString(cut), "}");
    }

    private static JmesPathExpression ParseJmesPath(string path)
    {
        try
        {
            return new JmesPath().Parse(path);
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or OutOfMemoryException))
        {
            throw new BuiltInToolException($"json_query: invalid JMESPath expression: {Reason(exception.Message)}", exception);
        }
    }

    private static void CheckRepeatBound(string path, int dataBytes)
    {
        // These build a string of a size their arguments choose (a pad width, a replacement repeated per match), which
        // no bound on the expression's shape covers.
        if (StringBuilders().Match(path) is { Success: true } builder)
        {
            throw new BuiltInToolException($"json_query: {builder.Groups[1].Value} is not offered: it can build a string of any size");
        }

        var bound = JmesPathRepeatBound.Of(path);
        var allowed = Math.Clamp(MaxRepeatedBytes / Math.Max(1, dataBytes), 1, MaxRepeat);
        if (bound > allowed)
        {
            var shown = bound < 1e9 ? bound.ToString("N0", CultureInfo.InvariantCulture) : bound.ToString("0.##E+0", CultureInfo.InvariantCulture);
            throw new BuiltInToolException(string.Create(
                CultureInfo.InvariantCulture,
                $"json_query: the expression can repeat its input up to {shown} times (multiselects [..] and {{..}}); at most {allowed:N0} for {dataBytes:N0} bytes of data"));
        }
    }

    private static string JmesPath(JmesPathExpression expression, JToken document)
    {
        JToken? result;
        try
        {
            result = expression.Transform(new JmesPathArgument(document)).AsJToken();
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or OutOfMemoryException))
        {
            throw new BuiltInToolException($"json_query: the JMESPath expression failed: {Reason(exception.Message)}", exception);
        }

        return result is null ? "null" : result.ToString(Formatting.None);
    }

    private static string Reason(string message)
    {
        var line = message.AsSpan();
        var end = line.IndexOfAny('\r', '\n');
        if (end >= 0)
        {
            line = line[..end];
        }

        return line.Length <= 300 ? line.ToString() : string.Concat(line[..300], "…");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(pad_left|pad_right|replace)\s*\(")]
    private static partial System.Text.RegularExpressions.Regex StringBuilders();
}
