using System.Net;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// A provider refused or failed a call. Every provider's own errors (the OpenAI, Anthropic and Ollama clients', HTTP
/// failures, timeouts) become this one type, so the resilience layer and the step's record judge them alike. The
/// message names the connection, the model and what the provider said, and never carries the key.
/// </summary>
public sealed class LlmProviderException : Exception
{
    /// <summary>Creates the error.</summary>
    public LlmProviderException(string connection, string model, HttpStatusCode? status, string message, bool transient,
        TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        Connection = connection;
        Model = model;
        Status = status;
        IsTransient = transient;
        RetryAfter = retryAfter;
    }

    /// <summary>The connection's configured name (<c>llm</c>, <c>llm-anthropic</c>).</summary>
    public string Connection { get; }

    /// <summary>The model asked for.</summary>
    public string Model { get; }

    /// <summary>The HTTP status the provider answered with; null when no answer came (a timeout, a refused connection).</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>
    /// True when asking again may succeed: a rate limit (429), a server error (5xx), a timeout or a dropped connection.
    /// A refused key (401, 403), a bad request (400) or an unknown model (404) is never transient.
    /// </summary>
    public bool IsTransient { get; }

    /// <summary>How long the provider asked to wait (<c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether a status is worth asking again for.</summary>
    public static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout or HttpStatusCode.Conflict || (int)status >= 500;
}
