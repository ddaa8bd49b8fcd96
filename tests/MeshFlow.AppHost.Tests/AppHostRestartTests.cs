using System.Net;
using MeshFlow.AppHost.Tests.Support;
using static MeshFlow.AppHost.Tests.Support.ApprovalApi;

namespace MeshFlow.AppHost.Tests;

/// <summary>A pause lives in the ledger's database: it outlasts every process of the topology.</summary>
[Collection(OwnAppHosts.Name)]
public sealed class AppHostRestartTests
{
    private const string Publish = """
        name: publish
        policy:
          mode: strict
        nodes:
          - id: drafter
            model: scripted
            responses: [DRAFT]
          - id: publisher
            model: scripted
            risk: high
            responses: [PUBLISHED]
        edges:
          - from: drafter
            to: publisher
        """;

    [Fact]
    public async Task A_pause_survives_a_restart_of_the_whole_AppHost_and_its_approval_completes_the_run_on_the_new_one()
    {
        var dataDirectory = AppHostFixture.NewDataDirectory();
        try
        {
            string runId;
            long pausedAt;
            await using (var before = AppHostFixture.OnDataDirectory(dataDirectory, keepDataDirectory: true))
            {
                await before.InitializeAsync();
                using var acme = before.CreateApiClient(AppHostFixture.AcmeKey);
                (runId, var events) = await StartPausedAsync(acme, Publish);
                pausedAt = events[^1].Id;
            }

            // A new AppHost on the same folder: a new Postgres process on the old data, an empty Redis, new api and workers.
            await using var after = AppHostFixture.OnDataDirectory(dataDirectory, keepDataDirectory: false);
            await after.InitializeAsync();
            using var user = after.CreateApiClient(AppHostFixture.AcmeKey);
            using var reviewer = after.CreateApiClient(AppHostFixture.AcmeReviewerKey);
            Assert.Equal("paused", (await GetJsonAsync(user, $"/runs/{runId}")).GetProperty("status").GetString());
            var pending = (await GetJsonAsync(reviewer, "/hitl/pending")).GetProperty("pending").EnumerateArray()
                .Single(p => p.GetProperty("run_id").GetString() == runId);
            Assert.Equal(("publisher:1", "high"), (pending.GetProperty("step_id").GetString(), pending.GetProperty("tier").GetString()));

            using var approved = await DecideAsync(reviewer, runId, "approve", "dr.lee", "approved after the restart");
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

            Assert.Equal("PUBLISHED", (await WaitForStatusAsync(user, runId, "completed")).GetProperty("output").GetString());

            // Redis starts empty, yet a client that saw the pause picks up where it left off: the numbering went on.
            var resumed = await ReadEventsAsync(user, runId, pausedAt);
            Assert.Equal("hitl_resolved", resumed[0].Event);
            Assert.All(resumed, e => Assert.True(e.Id > pausedAt, $"event {e.Id} ({e.Event}) is numbered after the pause's {pausedAt}"));
            Assert.Equal(("run_end", "completed"), (resumed[^1].Event, resumed[^1].Data.GetProperty("data").GetProperty("status").GetString()));
            Assert.True((await GetJsonAsync(user, $"/traces/{runId}/verify")).GetProperty("valid").GetBoolean());
        }
        finally
        {
            // Left behind only when the second AppHost never took it over.
            try
            {
                if (Directory.Exists(dataDirectory))
                {
                    Directory.Delete(dataDirectory, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A temp folder; leaving it behind is harmless.
            }
        }
    }
}
