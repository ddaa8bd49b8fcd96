using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace MeshFlow.Api.Knowledge;

/// <summary>The text of a PDF, page by page, in reading order (PdfPig).</summary>
public static class PdfText
{
    /// <summary>Each page's text, pages separated by a blank line; empty when no page has text (a scan, say).</summary>
    /// <exception cref="UglyToad.PdfPig.Core.PdfDocumentFormatException">The bytes are not a readable PDF.</exception>
    public static string Extract(ReadOnlyMemory<byte> pdf)
    {
        using var document = PdfDocument.Open(pdf.ToArray());
        var text = new StringBuilder();
        foreach (var page in document.GetPages())
        {
            var pageText = ContentOrderTextExtractor.GetText(page).Trim();
            if (pageText.Length == 0)
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append("\n\n");
            }

            text.Append(pageText);
        }

        return text.ToString();
    }
}
