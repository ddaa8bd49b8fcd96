using System.Text.Json;

namespace MeshFlow.Api.Tests.Support;

internal static class HttpClientTestExtensions
{
    /// <summary>GET with the test's cancellation token and a timeout, so a hung server fails the test.</summary>
    public static Task<HttpResponseMessage> GetWithTimeoutAsync(this HttpClient client, string path) =>
        client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

    /// <summary>POST with the test's cancellation token and a timeout.</summary>
    public static Task<HttpResponseMessage> PostWithTimeoutAsync(this HttpClient client, string path, HttpContent content) =>
        client.PostAsync(new Uri(path, UriKind.Relative), content, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

    /// <summary>Sends <paramref name="request"/> with the test's cancellation token and a timeout.</summary>
    public static Task<HttpResponseMessage> SendWithTimeoutAsync(this HttpClient client, HttpRequestMessage request) =>
        client.SendAsync(request, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

    public static async Task<string> ReadTextAsync(this HttpResponseMessage response) =>
        await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.ReadTextAsync());
        return document.RootElement.Clone();
    }
}
