using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using MeshFlow.Governance.Risk;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Network;

/// <summary>
/// <c>web_search(query, max_results)</c>: DuckDuckGo's HTML results page (no key), parsed into a JSON array of
/// <c>{title, url, snippet}</c>. Ads are skipped and DuckDuckGo's redirect links are decoded to the page they lead to.
/// </summary>
/// <remarks>
/// The endpoint (<see cref="NetworkToolOptions.SearchEndpoint"/>) is reached through the guarded client, so the address
/// rules apply to it as to any URL; robots.txt is not consulted, since the endpoint is a search service the operator
/// chose, not a site being crawled.
/// </remarks>
internal sealed class WebSearchTool(GuardedHttpClient client, NetworkToolOptions options)
    : BuiltInTool(BuiltInToolNames.WebSearch, ToolDescription, Schema, RiskTier.Medium, TimeSpan.FromSeconds(20), 20_000)
{
    private const string ToolDescription =
        "Searches the web (DuckDuckGo) and returns a JSON array of results, each {title, url, snippet}. " +
        "Use it to find pages about a topic, then web_fetch a result's url to read it.";

    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "query": { "type": "string", "minLength": 1, "maxLength": 500, "description": "What to search for." },
            "max_results": { "type": "integer", "minimum": 1, "maximum": 10, "default": 5, "description": "How many results to return (1-10, default 5)." }
          },
          "required": ["query"],
          "additionalProperties": false
        }
        """;

    // The results are read by a model, not embedded in HTML: only what JSON requires is escaped.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <inheritdoc />
    protected override async ValueTask<string> RunAsync(ToolArguments arguments, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var query = arguments.RequiredString("query").Trim();
        if (query.Length is 0 or > 500)
        {
            throw new BuiltInToolException($"{Name}: the query must have 1 to 500 characters");
        }

        var max = arguments.OptionalInt("max_results", 5, 1, 10);
        var endpoint = options.SearchEndpoint;
        var separator = string.IsNullOrEmpty(endpoint.Query) ? "?" : "&";
        var url = new Uri(endpoint.AbsoluteUri + separator + "q=" + Uri.EscapeDataString(query));
        var response = await client.SendAsync(new GuardedRequest(Name, HttpMethod.Get, url)
        {
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Accept"] = "text/html" },
        }, cancellationToken).ConfigureAwait(false);
        if (response.Status is < 200 or >= 300)
        {
            throw new BuiltInToolException($"{Name}: the search service answered HTTP {response.Status}");
        }

        var results = await ParseAsync(response.Text(), response.Url, max, cancellationToken).ConfigureAwait(false);
        return results.Count == 0
            ? $"No results for \"{query}\"."
            : results.ToJsonString(Indented);
    }

    /// <summary>The results of a page in DuckDuckGo's HTML results format, ads left out, at most <paramref name="max"/>.</summary>
    internal static async Task<JsonArray> ParseAsync(string html, Uri pageUrl, int max, CancellationToken cancellationToken)
    {
        using var document = await new HtmlParser().ParseDocumentAsync(html, cancellationToken).ConfigureAwait(false);
        var results = new JsonArray();
        foreach (var block in document.QuerySelectorAll(".result"))
        {
            if (block.ClassList.Contains("result--ad") || block.QuerySelector("a.result__a") is not { } link)
            {
                continue;
            }

            var target = Target(link.GetAttribute("href"), pageUrl);
            if (target is null)
            {
                continue;
            }

            results.Add(new JsonObject
            {
                ["title"] = Clean(link.TextContent),
                ["url"] = target,
                ["snippet"] = Clean(block.QuerySelector(".result__snippet")?.TextContent ?? string.Empty),
            });
            if (results.Count == max)
            {
                break;
            }
        }

        return results;
    }

    /// <summary>The page a result link leads to: DuckDuckGo's <c>//duckduckgo.com/l/?uddg=…</c> decoded; null for ads and non-web links.</summary>
    internal static string? Target(string? href, Uri pageUrl)
    {
        if (string.IsNullOrWhiteSpace(href) || !Uri.TryCreate(pageUrl, href, out var url))
        {
            return null;
        }

        if (url.AbsolutePath.StartsWith("/l/", StringComparison.Ordinal))
        {
            var uddg = QueryValue(url.Query, "uddg");
            if (uddg is null || !Uri.TryCreate(uddg, UriKind.Absolute, out url))
            {
                return null;
            }
        }
        else if (url.AbsolutePath.StartsWith("/y.js", StringComparison.Ordinal))
        {
            return null;
        }

        return url.Scheme is "http" or "https" ? url.AbsoluteUri : null;
    }

    private static string? QueryValue(string query, string name)
    {
        foreach (var pair in query.TrimStart('?').Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && pair.AsSpan(0, equals).SequenceEqual(name))
            {
                return Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }

        return null;
    }

    private static string Clean(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
