namespace MeshFlow.Api.Knowledge;

/// <summary>The file formats a knowledge base takes, each read to plain text before it is chunked.</summary>
public enum DocumentFormat
{
    /// <summary>Plain text, UTF-8.</summary>
    Text,

    /// <summary>Markdown, kept as written: its markup is readable text.</summary>
    Markdown,

    /// <summary>HTML, reduced to its readable text.</summary>
    Html,

    /// <summary>PDF, its text read page by page.</summary>
    Pdf,
}
