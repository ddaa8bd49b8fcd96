using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFlow.Governance.Risk;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Network;

/// <summary>
/// <c>http_request(method, url, headers, body)</c>: one HTTP call under the network tools' address rules, redirect
/// limit and size caps, answering <c>{status, headers, body, truncated}</c>. robots.txt does not apply: this is an API
/// call the workflow asked for, not crawling.
/// </summary>
internal sealed class HttpRequestTool(GuardedHttpClient client, NetworkToolOptions options)
    : BuiltInTool(BuiltInToolNames.HttpRequest, ToolDescription, Schema, RiskTier.High, TimeSpan.FromSeconds(30), 40_000)
{
    private const string ToolDescription =
        "Makes one HTTP request (GET, HEAD, POST, PUT, PATCH or DELETE) to an http or https URL and returns JSON " +
        "{status, headers, body, truncated}. headers is an object of strings; body is a string (send JSON as text " +
        "with a Content-Type header).";

    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "method": { "type": "string", "enum": ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"], "description": "The HTTP method." },
            "url": { "type": "string", "minLength": 1, "maxLength": 2048, "description": "The absolute http or https URL." },
            "headers": { "type": "object", "additionalProperties": { "type": "string" }, "description": "Request headers, name to value." },
            "body": { "type": "string", "description": "The request body, as text." }
          },
          "required": ["method", "url"],
          "additionalProperties": false
        }
        """;

    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

    // Headers that frame the message or steer a proxy: the client sets them, never the caller.
    private static readonly HashSet<string> RefusedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade", "TE", "Trailer", "Keep-Alive", "Expect",
    };

    // The answer is read by a model, not embedded in HTML: only what JSON requires is escaped.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The guarded client the three network tools share.</summary>
    internal GuardedHttpClient Client => client;

    /// <inheritdoc />
    protected override async ValueTask<string> RunAsync(ToolArguments arguments, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var method = arguments.RequiredString("method").Trim().ToUpperInvariant();
        if (!Methods.Contains(method))
        {
            throw new BuiltInToolException($"{Name}: the method must be one of {string.Join(", ", Methods)}");
        }

        var url = SafeUrl.Parse(Name, arguments.RequiredString("url"));
        var headers = CheckHeaders(arguments.OptionalStringMap("headers"));
        var bodyText = arguments.OptionalString("body");
        byte[]? body = null;
        if (bodyText is not null)
        {
            body = Encoding.UTF8.GetBytes(bodyText);
            if (body.Length > options.MaxRequestBodyBytes)
            {
                throw new BuiltInToolException(string.Create(CultureInfo.InvariantCulture,
                    $"{Name}: the body has {body.Length:N0} bytes; at most {options.MaxRequestBodyBytes:N0} are sent"));
            }
        }

        var response = await client.SendAsync(new GuardedRequest(Name, new HttpMethod(method), url) { CallerHeaders = headers, Body = body }, cancellationToken)
            .ConfigureAwait(false);
        var text = IsText(response.MediaType) ? response.Text() : $"[{response.Body.Length} bytes of {response.MediaType ?? "unknown type"}, not shown]";
        var headersJson = new JsonObject([.. response.Headers.Where(pair => pair.Key != "set-cookie").Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))]);
        var truncated = response.Truncated;
        while (true)
        {
            var result = new JsonObject
            {
                ["status"] = response.Status,
                ["url"] = SafeUrl.WithoutUserInfo(response.Url),
                ["headers"] = headersJson.DeepClone(),
                ["body"] = text,
                ["truncated"] = truncated,
            };
            var json = result.ToJsonString(Indented);
            if (json.Length <= MaxOutputChars || text.Length == 0)
            {
                return json;
            }

            // Cut the body inside the JSON, so a long answer stays parseable rather than being cut by the output cap.
            var excess = json.Length - MaxOutputChars;
            text = text[..Math.Max(0, text.Length - excess - 64)];
            truncated = true;
        }
    }

    /// <summary>The caller's headers, after refusing framing and proxy headers and any name or value that could split the message.</summary>
    internal static Dictionary<string, string> CheckHeaders(IReadOnlyDictionary<string, string> headers)
    {
        var checkedHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            if (name.Length == 0 || !name.All(IsTokenChar))
            {
                throw new BuiltInToolException($"{BuiltInToolNames.HttpRequest}: '{Printable(name)}' is not a valid header name");
            }

            if (RefusedHeaders.Contains(name) || name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase))
            {
                throw new BuiltInToolException($"{BuiltInToolNames.HttpRequest}: the header '{name}' is set by the client and may not be given");
            }

            if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                throw new BuiltInToolException($"{BuiltInToolNames.HttpRequest}: the header '{name}' has a line break or NUL in its value");
            }

            checkedHeaders[name] = value;
        }

        return checkedHeaders;
    }

    private static bool IsText(string? mediaType) =>
        mediaType is null || mediaType.StartsWith("text/", StringComparison.Ordinal) || mediaType.EndsWith("json", StringComparison.Ordinal) ||
        mediaType.EndsWith("xml", StringComparison.Ordinal) || mediaType is "application/javascript" or "application/x-www-form-urlencoded";

    // RFC 9110 token characters.
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    private static string Printable(string text) => new([.. text.Take(40).Select(c => char.IsControl(c) ? '?' : c)]);
}
