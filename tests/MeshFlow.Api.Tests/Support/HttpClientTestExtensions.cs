using System.Text.Json;

namespace MeshFlow.Api.Tests.Support;

internal static class HttpClientTestExtensions
{
    /// <summary>GET with the test's cancellation token and a timeout, so a hung server fails the test.</summary>
    public static Task<HttpResponseMessage> GetWithTimeoutAsync(this HttpClient client, string path) =>
        client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var json = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
