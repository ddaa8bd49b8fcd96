using System.Net;
using System.Text.Json;

namespace MeshFlow.Dashboard.ApiClient;

/// <summary>Turns a failed API answer into a message a person can act on, from its ProblemDetails when it has one.</summary>
public static class ApiProblemReader
{
    /// <summary>The message of a failed answer: the ProblemDetails detail (else title), else a sentence naming the status.</summary>
    public static async Task<string> ReadMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        string? detail = null;
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            detail = DetailOf(body);
        }
        catch (HttpRequestException)
        {
            // A body that breaks off still has a status to report.
        }

        return MessageFor(response.StatusCode, detail);
    }

    /// <summary>The message for a status and the API's own explanation, when it gave one.</summary>
    public static string MessageFor(HttpStatusCode status, string? detail) => status switch
    {
        HttpStatusCode.Unauthorized => "The API key was not accepted: it is wrong, revoked or expired. Sign in again with a valid key.",
        HttpStatusCode.Forbidden => detail is null ? "This API key may not do that." : $"This API key may not do that: {detail}",
        HttpStatusCode.TooManyRequests => "The API is rate limiting this key; try again in a moment.",
        _ when detail is not null => detail,
        _ => $"The API answered {(int)status} {status}.",
    };

    /// <summary>The <c>detail</c> (else <c>title</c>) of a ProblemDetails body; null when the body is not one.</summary>
    public static string? DetailOf(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var name in (ReadOnlySpan<string>)["detail", "title"])
            {
                if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                    && value.GetString() is { Length: > 0 } text)
                {
                    return text;
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
