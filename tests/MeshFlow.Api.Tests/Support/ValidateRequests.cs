using System.Text;

namespace MeshFlow.Api.Tests.Support;

/// <summary><c>POST /workflows/validate</c>, the simplest endpoint that needs an API key.</summary>
internal static class ValidateRequests
{
    public const string Path = "/workflows/validate";

    public const string MinimalYaml = """
        name: one
        nodes:
          - id: a
            model: offline
        """;

    public static StringContent Minimal() => new(MinimalYaml, Encoding.UTF8, "application/yaml");

    public static Task<HttpResponseMessage> PostMinimalAsync(this HttpClient client) => client.PostWithTimeoutAsync(Path, Minimal());

    /// <summary>The request with <paramref name="header"/> set to <paramref name="value"/> exactly as given.</summary>
    public static HttpRequestMessage WithHeader(string header, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Minimal() };
        request.Headers.TryAddWithoutValidation(header, value);
        return request;
    }
}
