using System.Text;
using AngleSharp.Html.Parser;
using MeshFlow.Governance.Risk;
using MeshFlow.Tools.BuiltIn;
using SmartReader;

namespace MeshFlow.Tools.Network;

/// <summary>
/// <c>web_fetch(url)</c>: a page's readable text (the article, without navigation, scripts or styles), honouring the
/// site's robots.txt at every hop.
/// </summary>
/// <remarks>
/// HTML goes through SmartReader (a port of Mozilla's Readability); when it finds no article, the text of the body
/// without scripts, styles and navigation is used. Plain text, JSON and XML are returned as they are; any other type is
/// refused, naming it.
/// </remarks>
internal sealed class WebFetchTool(GuardedHttpClient client, RobotsCache robots)
    : BuiltInTool(BuiltInToolNames.WebFetch, ToolDescription, Schema, RiskTier.Medium, TimeSpan.FromSeconds(30), 40_000)
{
    private const string ToolDescription =
        "Fetches a web page (http or https) and returns its title, final URL and readable text (the article, " +
        "without menus or scripts). Plain text, JSON and XML are returned as they are. Honours robots.txt.";

    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "url": { "type": "string", "minLength": 1, "maxLength": 2048, "description": "The absolute http or https URL of the page." }
          },
          "required": ["url"],
          "additionalProperties": false
        }
        """;

    private static readonly string[] HtmlTypes = ["text/html", "application/xhtml+xml"];
    private static readonly string[] TextTypes = ["text/plain", "application/json", "application/xml", "text/xml", "text/markdown", "text/csv"];

    /// <inheritdoc />
    protected override async ValueTask<string> RunAsync(ToolArguments arguments, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var url = SafeUrl.Parse(Name, arguments.RequiredString("url"));
        var response = await client.SendAsync(new GuardedRequest(Name, HttpMethod.Get, url)
        {
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["Accept"] = "text/html,application/xhtml+xml,text/plain;q=0.9,application/json;q=0.8,application/xml;q=0.8",
            },
            BeforeEachHop = (hop, ct) => robots.CheckAsync(Name, hop, ct),
        }, cancellationToken).ConfigureAwait(false);
        if (response.Status is < 200 or >= 300)
        {
            throw new BuiltInToolException($"{Name}: {SafeUrl.Describe(response.Url)} answered HTTP {response.Status}");
        }

        var type = response.MediaType ?? "text/plain";
        string title;
        string text;
        if (HtmlTypes.Contains(type))
        {
            (title, text) = await ReadableAsync(response.Text(), response.Url, cancellationToken).ConfigureAwait(false);
        }
        else if (TextTypes.Contains(type) || type.EndsWith("+json", StringComparison.Ordinal) || type.EndsWith("+xml", StringComparison.Ordinal))
        {
            (title, text) = (string.Empty, response.Text());
        }
        else
        {
            throw new BuiltInToolException($"{Name}: {SafeUrl.Describe(response.Url)} is {type}, which web_fetch does not read (HTML, plain text, JSON and XML only)");
        }

        var output = new StringBuilder();
        output.Append("Title: ").AppendLine(title.Length > 0 ? title : "(none)");
        output.Append("URL: ").AppendLine(SafeUrl.WithoutUserInfo(response.Url));
        if (response.Truncated)
        {
            output.Append("[the page is longer than the size cap; only its first ").Append(response.Body.Length).AppendLine(" bytes were read]");
        }

        output.AppendLine().Append(text.Trim());
        return output.ToString();
    }

    /// <summary>The title and readable text of an HTML page.</summary>
    internal static async Task<(string Title, string Text)> ReadableAsync(string html, Uri url, CancellationToken cancellationToken)
    {
        var article = Reader.ParseArticle(url.AbsoluteUri, html);
        if (article.IsReadable && !string.IsNullOrWhiteSpace(article.TextContent))
        {
            return (article.Title ?? string.Empty, Tidy(article.TextContent));
        }

        using var document = await new HtmlParser().ParseDocumentAsync(html, cancellationToken).ConfigureAwait(false);
        foreach (var noise in document.QuerySelectorAll("script, style, noscript, template, nav, header, footer, aside, form, iframe, svg").ToList())
        {
            noise.Remove();
        }

        return (document.Title ?? string.Empty, Tidy(document.Body?.TextContent ?? string.Empty));
    }

    // Collapses runs of spaces and keeps at most one empty line, so the text a model reads has no layout noise.
    private static string Tidy(string text)
    {
        var lines = text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n')
            .Select(line => string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        var output = new StringBuilder();
        var blank = false;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                blank = output.Length > 0;
                continue;
            }

            if (blank)
            {
                output.Append('\n');
                blank = false;
            }

            output.Append(line).Append('\n');
        }

        return output.ToString();
    }
}
