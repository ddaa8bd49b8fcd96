using System.Net;
using System.Text.Json;

namespace MeshFlow.Cli.Client;

/// <summary>
/// A ProblemDetails answer of the API: its status, title, detail and field errors (each with its line and column when
/// it is a workflow's problem), told on one line.
/// </summary>
internal sealed record ServerProblem(HttpStatusCode Status, string? Title, string? Detail, IReadOnlyList<ServerFieldError> Errors)
{
    /// <summary>Reads a ProblemDetails body; a body that is not one still gives the status and its text.</summary>
    public static ServerProblem Read(HttpStatusCode status, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ServerProblem(status, null, Shorten(body), []);
            }

            return new ServerProblem(status, Text(root, "title"), Text(root, "detail"), ReadErrors(root));
        }
        catch (JsonException)
        {
            return new ServerProblem(status, null, Shorten(body), []);
        }
    }

    /// <summary>The title, detail and the field errors the detail does not already say, on one line.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        var head = (Title, Detail) switch
        {
            ({ Length: > 0 } title, { Length: > 0 } detail) => $"{title}: {detail}",
            ({ Length: > 0 } title, _) => title,
            (_, { Length: > 0 } detail) => detail,
            _ => $"the server answered {(int)Status} {Status}",
        };
        parts.Add(head);
        var fields = Errors.Where(e => e.Message != Detail).Select(e => e.Describe()).ToList();
        var named = Errors.Where(e => e.Message == Detail && e.Path is { Length: > 0 }).Select(e => e.Path!).ToList();
        if (fields.Count > 0)
        {
            parts.Add($"({string.Join("; ", fields)})");
        }
        else if (named.Count > 0)
        {
            parts.Add($"(field {string.Join(", ", named)})");
        }

        return string.Join(' ', parts).ReplaceLineEndings(" ");
    }

    private static List<ServerFieldError> ReadErrors(JsonElement root)
    {
        var errors = new List<ServerFieldError>();
        if (!root.TryGetProperty("errors", out var list))
        {
            return errors;
        }

        if (list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && Text(item, "message") is { } message)
                {
                    errors.Add(new ServerFieldError(Text(item, "path") ?? Text(item, "field"), message, Number(item, "line"), Number(item, "column")));
                }
            }
        }
        else if (list.ValueKind == JsonValueKind.Object)
        {
            // ASP.NET Core's validation problems: {"field": ["message", ...]}.
            foreach (var field in list.EnumerateObject())
            {
                foreach (var message in field.Value.ValueKind == JsonValueKind.Array ? field.Value.EnumerateArray() : Enumerable.Empty<JsonElement>())
                {
                    if (message.ValueKind == JsonValueKind.String)
                    {
                        errors.Add(new ServerFieldError(field.Name, message.GetString()!, null, null));
                    }
                }
            }
        }

        return errors;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    private static string Shorten(string body)
    {
        var line = body.ReplaceLineEndings(" ").Trim();
        return line.Length > 300 ? line[..300] + "..." : line;
    }
}
