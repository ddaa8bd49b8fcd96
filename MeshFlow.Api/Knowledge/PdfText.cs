using System.Globalization;
using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace MeshFlow.Api.Knowledge;

/// <summary>The text of a PDF, page by page, in reading order (PdfPig).</summary>
public static class PdfText
{
    /// <summary>The most pages a PDF may have; a longer one is refused before any page is read.</summary>
    public const int MaxPages = 500;

    /// <summary>
    /// Each page's text, pages separated by a blank line; empty when no page has text (a scan, say). Reading stops as
    /// soon as the text passes <paramref name="maxCharacters"/>, so an oversized PDF costs no more than the cap.
    /// </summary>
    /// <returns>The text, or null and the limit the PDF passes, in words.</returns>
    /// <exception cref="UglyToad.PdfPig.Core.PdfDocumentFormatException">The bytes are not a readable PDF.</exception>
    public static (string? Text, string? Limit) Extract(ReadOnlyMemory<byte> pdf, int maxCharacters)
    {
        using var document = PdfDocument.Open(pdf.ToArray());
        if (document.NumberOfPages > MaxPages)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"has {document.NumberOfPages} pages; at most {MaxPages} are read"));
        }

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
            if (text.Length > maxCharacters)
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"holds more than {maxCharacters} characters of text"));
            }
        }

        return (text.ToString(), null);
    }
}
