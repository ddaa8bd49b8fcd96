using System.Globalization;
using System.Text.Json;
using MeshFlow.Api.Apis;
using MeshFlow.Retrieval.Documents;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace MeshFlow.Api.Knowledge;

/// <summary>
/// Reads the body of <c>POST /knowledge/{name}/documents</c>: JSON <c>{"documents": [{"id"?, "text", "source"?, "metadata"?}]}</c>,
/// or <c>multipart/form-data</c> with files (text, Markdown, HTML, PDF), each a document whose id and source are its file name.
/// Every problem answers with the field or file at fault.
/// </summary>
public static class KnowledgeUploadReader
{
    /// <summary>The most documents one request may carry.</summary>
    public const int MaxDocuments = 1000;

    /// <summary>The longest document id.</summary>
    public const int MaxIdLength = 256;

    /// <summary>The most characters of text one file may hold once extracted.</summary>
    public const int MaxFileCharacters = 1_000_000;

    /// <summary>
    /// The most characters of text one request may carry, all its documents together: each is chunked and embedded
    /// while the request waits, so the cap bounds the work (and memory) one request can ask for.
    /// </summary>
    public const int MaxRequestCharacters = 2_000_000;

    private static readonly string[] DocumentFields = ["id", "text", "source", "metadata"];

    /// <summary>The documents the request carries, or the problem that answers it.</summary>
    public static async Task<(IReadOnlyList<KnowledgeDocument>? Documents, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        if (string.Equals(mediaType, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return await ReadFormAsync(request, cancellationToken);
        }

        if (string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            var (document, problem) = await JsonBody.ParseAsync(request, cancellationToken);
            if (document is null)
            {
                return (null, problem);
            }

            using (document)
            {
                return ReadJson(document.RootElement);
            }
        }

        return (null, KnowledgeProblems.UnsupportedType("Content-Type",
            $"the body is {mediaType ?? "of no declared type"}; send application/json ({{\"documents\": [{{\"text\": \"...\"}}]}}) or multipart/form-data with files"));
    }

    private static (IReadOnlyList<KnowledgeDocument>?, ProblemHttpResult?) ReadJson(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Fail("body", "the body must be a JSON object: {\"documents\": [{\"text\": \"...\"}]}");
        }

        foreach (var property in body.EnumerateObject())
        {
            if (property.Name != "documents")
            {
                return Fail(property.Name, $"unknown field '{property.Name}' (expected documents)");
            }
        }

        if (!body.TryGetProperty("documents", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            return Fail("documents", "'documents' must be a list of at least one document, such as [{\"text\": \"...\"}]");
        }

        if (list.GetArrayLength() > MaxDocuments)
        {
            return Fail("documents", string.Create(CultureInfo.InvariantCulture, $"'documents' holds {list.GetArrayLength()} documents; at most {MaxDocuments} may be sent at once"));
        }

        var documents = new List<KnowledgeDocument>(list.GetArrayLength());
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        var characters = 0L;
        foreach (var item in list.EnumerateArray())
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"documents[{index++}]");
            var (document, problem) = ReadDocument(item, path);
            if (problem is not null)
            {
                return (null, problem);
            }

            if (document!.Id is { } id && !ids.Add(id))
            {
                return Fail(path + ".id", $"document id '{id}' is sent twice; each document of a request needs its own id");
            }

            characters += document.Text.Length;
            if (characters > MaxRequestCharacters)
            {
                return (null, KnowledgeProblems.TooLarge(path + ".text", string.Create(CultureInfo.InvariantCulture,
                    $"the documents up to {path} hold more than {MaxRequestCharacters} characters of text; send them in several requests")));
            }

            documents.Add(document);
        }

        return (documents, null);
    }

    private static (KnowledgeDocument?, ProblemHttpResult?) ReadDocument(JsonElement item, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return Document(path, "each document must be a JSON object with at least 'text'");
        }

        foreach (var property in item.EnumerateObject())
        {
            if (!DocumentFields.Contains(property.Name, StringComparer.Ordinal))
            {
                return Document($"{path}.{property.Name}", $"unknown field '{property.Name}' (expected {string.Join(", ", DocumentFields)})");
            }
        }

        if (!item.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(text.GetString()))
        {
            return Document(path + ".text", "'text' is required: the document's text, a non-empty string");
        }

        var (id, idProblem) = OptionalString(item, "id", path);
        if (idProblem is not null)
        {
            return (null, idProblem);
        }

        if (id is not null && IdProblem(id) is { } badId)
        {
            return Document(path + ".id", badId);
        }

        var (source, sourceProblem) = OptionalString(item, "source", path);
        if (sourceProblem is not null)
        {
            return (null, sourceProblem);
        }

        Dictionary<string, string>? metadata = null;
        if (item.TryGetProperty("metadata", out var meta) && meta.ValueKind != JsonValueKind.Null)
        {
            if (meta.ValueKind != JsonValueKind.Object)
            {
                return Document(path + ".metadata", "'metadata' must be a JSON object of string values, such as {\"team\": \"legal\"}");
            }

            metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in meta.EnumerateObject())
            {
                if (pair.Value.ValueKind != JsonValueKind.String || pair.Name.Length == 0)
                {
                    return Document($"{path}.metadata.{pair.Name}", "each metadata entry must have a name and a string value");
                }

                metadata[pair.Name] = pair.Value.GetString()!;
            }
        }

        return (new KnowledgeDocument(text.GetString()!) { Id = id, Source = source, Metadata = metadata }, null);
    }

    private static (string?, ProblemHttpResult?) OptionalString(JsonElement item, string name, string path)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        return value.ValueKind == JsonValueKind.String
            ? (value.GetString(), null)
            : (null, ApiProblems.BadRequest($"{path}.{name}", $"'{name}' must be a string"));
    }

    private static string? IdProblem(string id) =>
        string.IsNullOrWhiteSpace(id) ? "a document id must not be empty"
        : id.Length > MaxIdLength ? string.Create(CultureInfo.InvariantCulture, $"a document id is at most {MaxIdLength} characters")
        : id.Any(char.IsControl) ? "a document id must not hold control characters"
        : null;

    private static async Task<(IReadOnlyList<KnowledgeDocument>?, ProblemHttpResult?)> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or (IOException and not BadHttpRequestException))
        {
            return Fail("body", $"the body is not valid multipart/form-data: {ex.Message}");
        }

        if (form.Keys.FirstOrDefault() is { } field)
        {
            return Fail(field, $"unknown form field '{field}': send the documents as files (each part with a file name)");
        }

        if (form.Files.Count == 0)
        {
            return Fail("files", "the form holds no files: send each document as a file part (Content-Disposition with a filename)");
        }

        if (form.Files.Count > MaxDocuments)
        {
            return Fail("files", string.Create(CultureInfo.InvariantCulture, $"the form holds {form.Files.Count} files; at most {MaxDocuments} may be sent at once"));
        }

        var documents = new List<KnowledgeDocument>(form.Files.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var characters = 0;
        foreach (var file in form.Files)
        {
            var fileName = Path.GetFileName(file.FileName);
            if (IdProblem(fileName) is { } badName)
            {
                return Fail(file.Name, $"a file's name is its document id, and {badName}");
            }

            if (!names.Add(fileName))
            {
                return Fail(file.Name, $"file '{fileName}' is sent twice; its name is its document id, so each file needs its own name");
            }

            using var content = new MemoryStream();
            await using (var stream = file.OpenReadStream())
            {
                await stream.CopyToAsync(content, cancellationToken);
            }

            var remaining = MaxRequestCharacters - characters;
            var (text, problem) = FileTextExtractor.Extract(file.Name, fileName, file.ContentType, content.GetBuffer().AsMemory(0, (int)content.Length),
                Math.Min(MaxFileCharacters, remaining));
            if (problem is not null)
            {
                return (null, problem);
            }

            characters += text!.Length;
            documents.Add(new KnowledgeDocument(text!) { Id = fileName, Source = fileName });
        }

        return (documents, null);
    }

    private static (IReadOnlyList<KnowledgeDocument>?, ProblemHttpResult?) Fail(string field, string problem) => (null, ApiProblems.BadRequest(field, problem));

    private static (KnowledgeDocument?, ProblemHttpResult?) Document(string field, string problem) => (null, ApiProblems.BadRequest(field, problem));
}
