using System.Net;
using System.Text;
using System.Text.Json;
using MeshFlow.AppHost.Tests.Support;
using MeshFlow.Tests.Http;

namespace MeshFlow.AppHost.Tests;

/// <summary>Governance across the topology: identities and revocations live in Postgres, so every worker sees them.</summary>
[Collection(SharedAppHost.Name)]
public sealed class DistributedGovernanceTests(AppHostFixture fixture)
{
    // The same workflow name and nodes, so both runs' agents have the same identities: one fast, one whose writer
    // streams slowly enough to revoke the critic while the run is under way.
    private const string Fast = """
        name: revocable
        nodes:
          - id: writer
            model: offline
          - id: critic
            model: offline
        edges:
          - from: writer
            to: critic
        """;

    private const string SlowWriter = """
        name: revocable
        nodes:
          - id: writer
            model: slow
          - id: critic
            model: offline
        edges:
          - from: writer
            to: critic
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return document.RootElement.Clone();
    }

    private static async Task<string> StartAsync(HttpClient client, string yaml)
    {
        using var response = await client.PostAsync(new Uri("/runs", UriKind.Relative), Json(new { yaml, input = "NDA" }), Token);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await ReadJsonAsync(response)).GetProperty("run_id").GetString()!;
    }

    private static async Task<IAsyncEnumerator<ServerSentEvent>> FollowAsync(HttpClient client, string runId, List<IDisposable> owned)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/runs/{runId}/events");
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token);
        owned.Add(request);
        owned.Add(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ServerSentEvents.ReadAsync(await response.Content.ReadAsStreamAsync(Token), Token).GetAsyncEnumerator(Token);
    }

    [Fact]
    public async Task A_revoked_agent_is_blocked_at_its_next_step_of_a_run_already_in_flight_on_whichever_worker_runs_it()
    {
        // Admin keys revoke; this one acts for tenant 'default', whose runs it also starts.
        using var client = fixture.CreateApiClient(AppHostFixture.AdminKey);
        var warmUp = await StartAsync(client, Fast);
        var owned = new List<IDisposable>();
        try
        {
            await using (var events = await FollowAsync(client, warmUp, owned))
            {
                while (await events.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Run, Token))
                {
                }
            }

            using var agents = await client.GetAsync(new Uri("/agents", UriKind.Relative), Token);
            var critic = (await ReadJsonAsync(agents)).GetProperty("agents").EnumerateArray()
                .Single(a => a.GetProperty("workflow").GetString() == "revocable" && a.GetProperty("node_id").GetString() == "critic");
            var did = critic.GetProperty("did").GetString()!;
            Assert.False(critic.GetProperty("revoked").GetBoolean());

            var runId = await StartAsync(client, SlowWriter);
            var seen = new List<ServerSentEvent>();
            await using var stream = await FollowAsync(client, runId, owned);
            while (await stream.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Run, Token))
            {
                seen.Add(stream.Current);
                if (stream.Current.Event == "token_delta")
                {
                    break;
                }
            }

            // The writer is streaming on a worker; the critic has not started.
            using var revoke = await client.PostAsync(new Uri($"/admin/agents/{did}/revoke", UriKind.Relative),
                Json(new { reason = "credentials rotated" }), Token);
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
            while (await stream.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Run, Token))
            {
                seen.Add(stream.Current);
            }

            var writerEnd = seen.Single(e => e.Event == "step_end" && e.StepId == "writer:1").Data.GetProperty("data");
            var criticEnd = seen.Single(e => e.Event == "step_end" && e.StepId == "critic:1").Data.GetProperty("data");
            Assert.Equal("commit", writerEnd.GetProperty("verdict").GetString());
            Assert.Equal(("blocked", "identity"), (criticEnd.GetProperty("verdict").GetString(), criticEnd.GetProperty("block_reason").GetString()));
            Assert.Contains("credentials rotated", criticEnd.GetProperty("block_detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(did, criticEnd.GetProperty("agent_did").GetString());
            Assert.Equal("blocked", seen[^1].Data.GetProperty("data").GetProperty("status").GetString());

            using var trace = await client.GetAsync(new Uri($"/traces/{runId}", UriKind.Relative), Token);
            var step = (await ReadJsonAsync(trace)).GetProperty("steps").EnumerateArray().Single(r => r.GetProperty("step_id").GetString() == "critic:1");
            Assert.Equal((did, "identity"), (step.GetProperty("agent_did").GetString(), step.GetProperty("block_reason").GetString()));
            using var verify = await client.GetAsync(new Uri($"/traces/{runId}/verify", UriKind.Relative), Token);
            Assert.True((await ReadJsonAsync(verify)).GetProperty("valid").GetBoolean());
        }
        finally
        {
            owned.ForEach(o => o.Dispose());
        }
    }
}
