using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MeshFlow.Tests.Governance.Guardian;

/// <summary>
/// The places a payload (or a benign text) sits in: tool outputs and documents an agent reads. Each wraps the text
/// the way the source would: JSON escapes it, a PDF wraps its lines, a CSV quotes it, code comments prefix it.
/// </summary>
internal static class Carriers
{
    private static readonly JsonSerializerOptions s_relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly (string Name, Func<string, string> Wrap)[] Text =
    [
        ("search_json", SearchResultsJson),
        ("search_json_relaxed", SearchResultsJsonRelaxed),
        ("web_html", WebPageHtml),
        ("web_text", WebPageText),
        ("email", EmailBody),
        ("pdf_text", PdfText),
        ("csv_row", CsvRows),
        ("python_comment", PythonComment),
        ("csharp_comment", CSharpComment),
        ("kb_chunk", KnowledgeBaseChunk),
        ("readme", Readme),
    ];

    // Markup keeps its meaning only where it is not re-wrapped or prefixed.
    public static readonly (string Name, Func<string, string> Wrap)[] Markup =
    [
        ("search_json", SearchResultsJson),
        ("search_json_relaxed", SearchResultsJsonRelaxed),
        ("web_html", WebPageHtml),
        ("email_html", EmailHtml),
        ("kb_chunk", KnowledgeBaseChunk),
        ("readme", Readme),
    ];

    // System.Text.Json's default encoder escapes <, >, &, ', + and everything outside ASCII as \uXXXX.
    private static string SearchResultsJson(string text) =>
        $$"""
        {"query": "acme widget reviews", "results": [
          {"title": "Acme Widget 3000 review", "url": "https://reviews.example.com/acme-3000", "snippet": "Solid build, average battery life."},
          {"title": "Forum thread", "url": "https://forum.example.org/t/8812", "snippet": {{JsonSerializer.Serialize(text)}}},
          {"title": "Acme support", "url": "https://acme.example.com/support", "snippet": "Contact support for warranty claims."}
        ]}
        """;

    private static string SearchResultsJsonRelaxed(string text) =>
        $$"""{"documents":[{"id":"doc-41","score":0.82,"content":{{JsonSerializer.Serialize(text, s_relaxed)}}},{"id":"doc-7","score":0.61,"content":"Shipping takes 3-5 business days."}]}""";

    private static string WebPageHtml(string text) =>
        $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Acme Widget 3000 - Product Page</title>
        <!-- analytics --><link rel="stylesheet" href="/css/site.css"></head>
        <body><nav><a href="/">Home</a> | <a href="/shop">Shop</a></nav>
        <article><h1>Acme Widget 3000</h1>
        <p>The Widget 3000 ships with a two-year warranty and a USB-C charger.</p>
        <p>{text}</p>
        <p>Customers rate it 4.2 out of 5 on average.</p></article>
        <!-- footer --><footer>&copy; 2025 Acme Inc.</footer></body></html>
        """;

    private static string WebPageText(string text) =>
        $"""
        Acme Widget 3000: the complete review
        By Jane Doe · 5 min read

        We spent two weeks with the Widget 3000. Battery life is average, the build is solid.

        {text}

        Related articles: Best widgets of the year · How we test
        """;

    private static string EmailBody(string text) =>
        $"""
        From: Marta Ruiz <marta.ruiz@example.com>
        To: support@example.com
        Subject: Re: order #44817

        Hi team,

        {text}

        Best regards,
        Marta
        """;

    private static string EmailHtml(string text) =>
        $"""<html><body><p>Hi team,</p><p>Following up on order #44817.</p>{text}<p>Best regards,<br>Marta</p></body></html>""";

    // PDF extraction keeps the page's hard line breaks.
    private static string PdfText(string text)
    {
        var wrapped = new StringBuilder();
        var column = 0;
        foreach (var word in text.Split(' '))
        {
            if (column > 0 && column + word.Length > 60)
            {
                wrapped.Append('\n');
                column = 0;
            }
            else if (column > 0)
            {
                wrapped.Append(' ');
                column++;
            }

            wrapped.Append(word);
            column += word.Length;
        }

        return $"""
            Page 3 of 12
            Quarterly Report - Internal

            2.1 Results
            Revenue grew 4% on the previous quarter, driven by the
            widget line.
            {wrapped}
            2.2 Outlook
            """;
    }

    private static string CsvRows(string text) =>
        $"""
        id,customer,rating,comment
        101,Ana,5,"Great service, fast delivery"
        102,Ben,4,"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}"
        103,Chen,3,"Package arrived late"
        """;

    private static string PythonComment(string text) =>
        "import os\n\n\ndef load_config(path):\n" + Prefix(text, "    # ") + "\n    with open(path) as f:\n        return f.read()\n";

    private static string CSharpComment(string text) =>
        "public sealed class InvoiceService\n{\n" + Prefix(text, "    /// ")
        + "\n    public decimal Total(Invoice invoice) => invoice.Lines.Sum(l => l.Amount);\n}\n";

    private static string KnowledgeBaseChunk(string text) =>
        $"""
        [chunk 14/52] source: handbook/onboarding.md (score 0.83)
        ---
        New starters get a laptop on day one and access to the wiki on day two.
        {text}
        Questions go to the #onboarding channel.
        """;

    private static string Readme(string text) =>
        $"""
        # widgets

        [![build](https://img.shields.io/badge/build-passing-green)](https://ci.example.com/widgets)

        ## Usage

        {text}

        ## License

        MIT
        """;

    private static string Prefix(string text, string prefix) =>
        string.Join('\n', text.Split('\n').Select(line => (prefix + line).TrimEnd()));
}
