using System.Globalization;
using System.Text;
using MeshFlow.Api.Apis;
using Microsoft.AspNetCore.Http.HttpResults;
using UglyToad.PdfPig.Exceptions;

namespace MeshFlow.Api.Knowledge;

/// <summary>An uploaded file's text, by its format, or the problem that answers it: 415, 422, 413 or 400, naming the file.</summary>
public static class FileTextExtractor
{
    /// <summary>Reads <paramref name="content"/> as the format its content type or file name says.</summary>
    /// <param name="field">The form field the file came in, named by a problem.</param>
    /// <param name="fileName">The file's name, named by a problem.</param>
    /// <param name="contentType">The part's Content-Type, if any.</param>
    /// <param name="content">The file's bytes.</param>
    /// <param name="maxCharacters">The most characters of text the file may hold; more answers 413.</param>
    public static (string? Text, ProblemHttpResult? Problem) Extract(string field, string fileName, string? contentType, ReadOnlyMemory<byte> content,
        int maxCharacters)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (DocumentFormats.Detect(contentType, fileName, out var refused) is not { } format)
        {
            return (null, KnowledgeProblems.UnsupportedType(field,
                $"file '{fileName}' is {refused}, which cannot be read; send {DocumentFormats.Accepted}"));
        }

        string text;
        if (format == DocumentFormat.Pdf)
        {
            try
            {
                (var extracted, var limit) = PdfText.Extract(content, maxCharacters);
                if (limit is not null)
                {
                    return (null, KnowledgeProblems.TooLarge(field, $"file '{fileName}' {limit}; split it, or send fewer files at once"));
                }

                text = extracted!;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A parser reading arbitrary bytes fails in many ways (PdfDocumentFormatException, but also index and
                // cast errors deep in a broken object); each means the same to the sender: the file is not a PDF it can read.
                return (null, ApiProblems.BadRequest(field, ex is PdfDocumentEncryptedException
                    ? $"file '{fileName}' is an encrypted PDF; send it without a password"
                    : $"file '{fileName}' is not a readable PDF: {ex.Message}"));
            }

            return text.Trim().Length == 0
                ? (null, KnowledgeProblems.NoText(field,
                    $"file '{fileName}' is a PDF with no extractable text (a scanned document, say): send its text, or a PDF with a text layer"))
                : (text, null);
        }

        if (Utf8Body.FirstInvalidByte(content.Span) is { } offset)
        {
            return (null, ApiProblems.BadRequest(field, string.Create(CultureInfo.InvariantCulture,
                $"file '{fileName}' is not valid UTF-8: the byte at offset {offset} does not belong to a UTF-8 sequence; send the text encoded as UTF-8")));
        }

        var span = content.Span;
        text = Encoding.UTF8.GetString(span.StartsWith(Utf8Bom) ? span[Utf8Bom.Length..] : span);
        if (format == DocumentFormat.Html)
        {
            text = HtmlText.Extract(text);
        }

        if (text.Length > maxCharacters)
        {
            return (null, KnowledgeProblems.TooLarge(field, string.Create(CultureInfo.InvariantCulture,
                $"file '{fileName}' holds more text than this request has room for ({maxCharacters} characters at most); split it, or send fewer files at once")));
        }

        return text.Trim().Length == 0
            ? (null, KnowledgeProblems.NoText(field, $"file '{fileName}' holds no text"))
            : (text, null);
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];
}
