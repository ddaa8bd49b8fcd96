using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace MeshFlow.Api.Knowledge;

/// <summary>
/// The readable text of an HTML page: scripts, styles and the page's chrome (navigation, header, footer) are dropped;
/// headings and paragraphs keep their breaks, so a sentence splitter and a chunker see the page's structure.
/// </summary>
public static class HtmlText
{
    // Elements whose content is never prose a reader came for.
    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "nav", "header", "footer", "svg", "iframe", "object", "canvas", "form", "button", "select",
    };

    // Elements that start and end a paragraph of their own.
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "aside", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr",
        "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "address", "details", "summary", "hr",
    };

    /// <summary>The page's readable text: paragraphs separated by a blank line, whitespace within them collapsed.</summary>
    public static string Extract(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        using var document = new HtmlParser().ParseDocument(html);
        var writer = new ParagraphWriter();
        var title = document.Title?.Trim();
        if (document.Body is { } body)
        {
            Walk(body, writer);
        }

        var text = writer.ToString();
        // A page whose body holds no prose (everything was chrome) is still known by its title.
        return text.Length == 0 && !string.IsNullOrEmpty(title) ? title : text;
    }

    private static void Walk(INode node, ParagraphWriter writer)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    writer.Append(text.Data);
                    break;
                case IElement element when Dropped.Contains(element.LocalName) || element.HasAttribute("hidden"):
                    break;
                case IElement { LocalName: "br" }:
                    writer.LineBreak();
                    break;
                case IElement { LocalName: "td" or "th" } cell:
                    Walk(cell, writer);
                    writer.Append(" ");
                    break;
                case IElement element when Blocks.Contains(element.LocalName):
                    writer.Paragraph();
                    Walk(element, writer);
                    writer.Paragraph();
                    break;
                case IElement element:
                    Walk(element, writer);
                    break;
            }
        }
    }

    // Collapses runs of whitespace, and turns block boundaries into single line or paragraph breaks.
    private sealed class ParagraphWriter
    {
        private readonly StringBuilder _text = new();
        private Break _pending;
        private bool _space;

        private enum Break
        {
            None,
            Line,
            Paragraph,
        }

        public void Append(string text)
        {
            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    _space = true;
                    continue;
                }

                if (_text.Length > 0)
                {
                    _text.Append(_pending switch { Break.Paragraph => "\n\n", Break.Line => "\n", _ => _space ? " " : string.Empty });
                }

                _pending = Break.None;
                _space = false;
                _text.Append(c);
            }
        }

        public void LineBreak() => _pending = _pending == Break.Paragraph ? Break.Paragraph : Break.Line;

        public void Paragraph() => _pending = Break.Paragraph;

        public override string ToString() => _text.ToString();
    }
}
