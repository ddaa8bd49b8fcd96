using System.Net;
using System.Text;
using MeshFlow.Dashboard.ApiClient;

namespace MeshFlow.Dashboard.Tests.Support;

/// <summary>
/// A <see cref="MeshFlowApiClient"/> on a stub API that answers by method and path (query left out), and remembers every
/// request with its body, so a test can say what the page asked and with what.
/// </summary>
internal sealed class RoutedApi
{
    private readonly Dictionary<string, Func<HttpRequestMessage, HttpResponseMessage>> _routes = new(StringComparer.Ordinal);

    public List<(HttpRequestMessage Request, string? Body)> Requests { get; } = [];

    public RoutedApi On(string method, string path, Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        _routes[$"{method} {path}"] = respond;
        return this;
    }

    public RoutedApi On(string method, string path, HttpStatusCode status, string json) =>
        On(method, path, _ => Json(status, json));

    public MeshFlowApiClient CreateClient()
    {
        var http = new HttpClient(new StubHttpMessageHandler(request =>
        {
            Requests.Add((request, request.Content?.ReadAsStringAsync().GetAwaiter().GetResult()));
            return _routes.TryGetValue($"{request.Method} {request.RequestUri!.AbsolutePath}", out var respond)
                ? respond(request)
                : Json(HttpStatusCode.NotFound, """{"title":"Not Found","status":404}""");
        }))
        {
            BaseAddress = new Uri("http://api.test"),
        };
        return new MeshFlowApiClient(http, new FixedApiKey("test-key"), new ApiAvailability());
    }

    public int Count(string method, string path) =>
        Requests.Count(r => r.Request.Method.Method == method && r.Request.RequestUri!.AbsolutePath == path);

    public static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, status >= HttpStatusCode.BadRequest ? "application/problem+json" : "application/json") };
}
