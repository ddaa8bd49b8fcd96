using Microsoft.Net.Http.Headers;

namespace MeshFlow.Api.Knowledge;

/// <summary>Which <see cref="DocumentFormat"/> an uploaded file is, from its part's content type and its file name.</summary>
public static class DocumentFormats
{
    /// <summary>The media types and extensions accepted, as a refusal lists them.</summary>
    public const string Accepted = "text/plain (.txt), text/markdown (.md), text/html (.html) and application/pdf (.pdf)";

    private static readonly Dictionary<string, DocumentFormat> MediaTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text/plain"] = DocumentFormat.Text,
        ["text/markdown"] = DocumentFormat.Markdown,
        ["text/x-markdown"] = DocumentFormat.Markdown,
        ["text/html"] = DocumentFormat.Html,
        ["application/xhtml+xml"] = DocumentFormat.Html,
        ["application/pdf"] = DocumentFormat.Pdf,
    };

    private static readonly Dictionary<string, DocumentFormat> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = DocumentFormat.Text,
        [".text"] = DocumentFormat.Text,
        [".md"] = DocumentFormat.Markdown,
        [".markdown"] = DocumentFormat.Markdown,
        [".html"] = DocumentFormat.Html,
        [".htm"] = DocumentFormat.Html,
        [".xhtml"] = DocumentFormat.Html,
        [".pdf"] = DocumentFormat.Pdf,
    };

    /// <summary>
    /// The file's format: its content type decides when it names one; a generic or missing one
    /// (<c>application/octet-stream</c>, as clients send for files they cannot type) defers to the extension.
    /// </summary>
    /// <param name="contentType">The part's Content-Type header, if any.</param>
    /// <param name="fileName">The part's file name, if any.</param>
    /// <param name="refused">What was refused, for the 415: the media type, or the extension when no type was given.</param>
    public static DocumentFormat? Detect(string? contentType, string? fileName, out string refused)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType.Value : null;
        var extension = Path.GetExtension(fileName ?? string.Empty);
        if (mediaType is not null && !IsGeneric(mediaType))
        {
            refused = mediaType;
            return MediaTypes.TryGetValue(mediaType, out var byType) ? byType : null;
        }

        refused = extension.Length > 0 ? $"{mediaType ?? "a file"} named '*{extension}'" : mediaType ?? "a file with no type and no extension";
        return Extensions.TryGetValue(extension, out var byExtension) ? byExtension : null;
    }

    private static bool IsGeneric(string mediaType) =>
        mediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("binary/octet-stream", StringComparison.OrdinalIgnoreCase);
}
