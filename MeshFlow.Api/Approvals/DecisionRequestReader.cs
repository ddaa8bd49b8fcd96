using System.Text;
using System.Text.Json;
using MeshFlow.Api.Apis;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Approvals;

/// <summary>Reads a decision's body: <c>reviewer_id</c> (required) and <c>notes</c> (optional, at most 10 KB).</summary>
public static class DecisionRequestReader
{
    /// <summary>The most UTF-8 bytes a decision's notes may hold.</summary>
    public const int MaxNotesBytes = 10 * 1024;

    /// <summary>The most characters a reviewer id may hold.</summary>
    public const int MaxReviewerIdChars = 200;

    /// <summary>The decision, or the 400 naming the field at fault.</summary>
    public static async Task<(DecisionRequest? Request, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (document, bodyProblem) = await JsonBody.ReadAsync(request, cancellationToken);
        if (document is null)
        {
            return (null, bodyProblem);
        }

        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
            {
                return (null, ApiProblems.BadRequest("body", "the body must be a JSON object such as {\"reviewer_id\": \"dr.lee\", \"notes\": \"checked\"}"));
            }

            string? reviewer = null;
            string? notes = null;
            foreach (var property in body.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "reviewer_id":
                        if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString()!.Trim() is not { Length: > 0 and <= MaxReviewerIdChars } id
                            || id.Any(char.IsControl))
                        {
                            return (null, ApiProblems.BadRequest("reviewer_id",
                                $"'reviewer_id' must be a string of 1 to {MaxReviewerIdChars} characters without control characters: who decides"));
                        }

                        if (id.StartsWith("system:", StringComparison.OrdinalIgnoreCase))
                        {
                            return (null, ApiProblems.BadRequest("reviewer_id",
                                "'reviewer_id' cannot start with 'system:': those ids are MeshFlow's own (system:timeout, system:cancel)"));
                        }

                        reviewer = id;
                        break;
                    case "notes":
                        if (property.Value.ValueKind == JsonValueKind.Null)
                        {
                            break;
                        }

                        if (property.Value.ValueKind != JsonValueKind.String)
                        {
                            return (null, ApiProblems.BadRequest("notes", "'notes' must be a string"));
                        }

                        notes = property.Value.GetString()!;
                        if (notes.Contains('\0', StringComparison.Ordinal))
                        {
                            return (null, ApiProblems.BadRequest("notes", "'notes' cannot hold a NUL character (U+0000)"));
                        }

                        if (Encoding.UTF8.GetByteCount(notes) > MaxNotesBytes)
                        {
                            return (null, ApiProblems.BadRequest("notes",
                                $"'notes' holds {Encoding.UTF8.GetByteCount(notes):N0} bytes; at most {MaxNotesBytes:N0} (10 KB) are kept with a decision"));
                        }

                        break;
                    default:
                        return (null, ApiProblems.BadRequest(property.Name, $"unknown field '{property.Name}' (expected reviewer_id, notes)"));
                }
            }

            return reviewer is null
                ? (null, ApiProblems.BadRequest("reviewer_id", "'reviewer_id' is required: who decides"))
                : (new DecisionRequest(reviewer, string.IsNullOrEmpty(notes) ? null : notes), null);
        }
    }
}
