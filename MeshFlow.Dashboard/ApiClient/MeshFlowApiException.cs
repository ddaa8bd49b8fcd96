using System.Net;

namespace MeshFlow.Dashboard.ApiClient;

/// <summary>
/// A call to the API that did not succeed, with a message fit to show: the API's ProblemDetails detail, or that the
/// API could not be reached. It never carries the API key.
/// </summary>
public sealed class MeshFlowApiException : Exception
{
    public MeshFlowApiException()
    {
    }

    public MeshFlowApiException(string message)
        : base(message)
    {
    }

    public MeshFlowApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MeshFlowApiException(string message, HttpStatusCode? statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>The API's status code; null when no answer came (the API is unreachable).</summary>
    public HttpStatusCode? StatusCode { get; }

    public bool IsUnreachable => StatusCode is null;
}
