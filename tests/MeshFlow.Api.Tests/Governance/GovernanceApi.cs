using System.Net;
using System.Text;
using System.Text.Json;
using MeshFlow.Api.Tests.Support;
using MeshFlow.Tests.Http;

namespace MeshFlow.Api.Tests.Governance;

/// <summary>Small helpers the governance route tests share: an API of one's own tenant, JSON bodies, a streamed run.</summary>
internal static class GovernanceApi
{
    public const string AdminKey = "gov-admin-key";
    public const string UserKey = "gov-user-key";
    public const string OtherKey = "gov-other-key";
    public const string OtherAdminKey = "gov-other-admin-key";

    /// <summary>Three steps in a row (offline writer, scripted critic, offline editor): enough to see a step limit bite.</summary>
    public const string ThreeSteps = """
        name: three
        nodes:
          - id: writer
            model: offline
          - id: critic
            model: scripted
            responses: [fine]
          - id: editor
            model: offline
        edges:
          - from: writer
            to: critic
          - from: critic
            to: editor
        """;

    /// <summary>An API whose keys belong to a tenant of the test's own, so tenant policies never leak between tests.</summary>
    public static ApiFactory OwnTenant(string tenant) => ApiFactory.Create(new Dictionary<string, string?>
    {
        [MeshFlow.Api.Security.ApiSecurityConfiguration.ApiKeys] = $"{AdminKey}:{tenant}:admin,{UserKey}:{tenant},{OtherKey}:other-{tenant},{OtherAdminKey}:other-{tenant}:admin",
    });

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<HttpResponseMessage> PutAsync(HttpClient client, string path, HttpContent content) =>
        await client.PutAsync(new Uri(path, UriKind.Relative), content, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

    /// <summary>Starts a run with <c>POST /stream</c> and reads its events to the end.</summary>
    public static async Task<List<ServerSentEvent>> StreamAsync(HttpClient client, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/stream") { Content = Json(body) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        return await ServerSentEvents.ReadAllAsync(stream, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
    }

    public static JsonElement RunEnd(List<ServerSentEvent> events) => events.Single(e => e.Kind == "run_end").Data.GetProperty("data");

    public static JsonElement StepEnd(List<ServerSentEvent> events, string node) =>
        events.Single(e => e.Kind == "step_end" && e.Data.GetProperty("node_id").GetString() == node).Data.GetProperty("data");
}
