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
internal sealed class JsonQueryTool : BuiltInTool
{
    /// <summary>The largest JSON text queried, in UTF-8 bytes.</summary>
    public const int MaxDataBytes = 1 << 20;

    /// <summary>The longest query.</summary>
    public const int MaxPathChars = 1_000;

    private const int MaxJsonDepth = 128;

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
              "description": "A JSONPath starting with '$' (e.g. \"$.items[?(@.price < 10)].name\"; the result is the array of matches) or a JMESPath expression (e.g. \"items[?price < `10`].name\")."
            }
          },
          "required": ["data", "path"],
          "additionalProperties": false
        }
        """;

    public JsonQueryTool()
        : base(
            BuiltInToolNames.JsonQuery,
            "Queries a JSON text. A path starting with '$' is JSONPath and returns a JSON array of the matching values; " +
            "any other path is JMESPath and returns its result as JSON.",
            Schema,
            RiskTier.Low,
            TimeSpan.FromSeconds(5),
            100_000)
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

        var document = Parse(data);
        return ValueTask.FromResult(path.StartsWith('$') ? JsonPath(document, path, cancellationToken) : JmesPath(document, path));
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
        var matches = new JArray();
        try
        {
            foreach (var match in document.SelectTokens(path, settings))
            {
                cancellationToken.ThrowIfCancellationRequested();
                matches.Add(match);
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

        return matches.ToString(Formatting.None);
    }

    private static string JmesPath(JToken document, string path)
    {
        JmesPathExpression expression;
        try
        {
            expression = new JmesPath().Parse(path);
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or OutOfMemoryException))
        {
            throw new BuiltInToolException($"json_query: invalid JMESPath expression: {Reason(exception.Message)}", exception);
        }

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
}
