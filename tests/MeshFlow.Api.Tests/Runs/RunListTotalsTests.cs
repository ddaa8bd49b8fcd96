using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MeshFlow.Api.Security;
using MeshFlow.Api.Tests.Support;
using MeshFlow.Ledger;
using MeshFlow.Tests.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFlow.Api.Tests.Runs;

/// <summary><c>GET /runs</c> rows carry the totals <c>GET /runs/{id}</c> shows, so a client needs no call per row.</summary>
public sealed class RunListTotalsTests : IAsyncLifetime
{
    private readonly string _tenant = "tenant-" + Guid.NewGuid().ToString("N");
    private readonly string _key = "key-" + Guid.NewGuid().ToString("N");
    private ApiFactory _factory = null!;

    public ValueTask InitializeAsync()
    {
        _factory = ApiFactory.Create(new Dictionary<string, string?> { [ApiSecurityConfiguration.ApiKeys] = $"{_key}:{_tenant}" });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Each_row_has_the_same_steps_tokens_and_cost_as_the_runs_own_view_and_a_duration_once_ended()
    {
        using var client = _factory.CreateAuthenticatedClient(_key);
        var completed = await RunToEndAsync(client);
        var store = _factory.Services.GetRequiredService<ILedgerStore>();

        // A run with steps, a blocked step and a run_end whose own totals count more than its steps do.
        var blocked = NewRun();
        var records = new List<LedgerRecord> { Record(blocked, 1, LedgerRecordKinds.RunStart, """{"workflow":"guarded"}""") };
        records.Add(Record(blocked, 2, LedgerRecordKinds.Step, """{"step_id":"a:1"}""") with { TokensInput = 10, TokensOutput = 20, CostUsd = 0.25m });
        records.Add(Record(blocked, 3, LedgerRecordKinds.Step, """{"step_id":"b:1"}""") with { Verdict = "blocked", BlockReason = "budget" });
        records.Add(Record(blocked, 4, LedgerRecordKinds.RunEnd, """{"status":"blocked","output":""}""") with
        {
            TokensInput = 40, TokensOutput = 50, CostUsd = 0.75m,
        });

        // A run still going: its steps' sums, and no duration yet.
        var running = NewRun();
        records.Add(Record(running, 1, LedgerRecordKinds.RunStart, """{"workflow":"going"}"""));
        records.Add(Record(running, 2, LedgerRecordKinds.Step, """{"step_id":"a:1"}""") with { TokensInput = 3, TokensOutput = 4, CostUsd = 0.5m });
        records.Add(Record(running, 3, LedgerRecordKinds.Step, """{"step_id":"b:1"}""") with { TokensInput = 5, TokensOutput = 6, CostUsd = 0.25m });
        foreach (var record in records)
        {
            await store.AppendAsync(record, null, TestContext.Current.CancellationToken);
        }

        using var list = await client.GetWithTimeoutAsync("/runs");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var rows = (await list.ReadJsonAsync()).GetProperty("runs").EnumerateArray().ToDictionary(r => r.GetProperty("run_id").GetString()!);
        Assert.Equal(new[] { blocked, completed, running }.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));

        foreach (var id in new[] { completed, blocked, running })
        {
            using var detail = await client.GetWithTimeoutAsync($"/runs/{id}");
            var view = await detail.ReadJsonAsync();
            var row = rows[id];
            foreach (var field in new[] { "status", "workflow", "created_at", "updated_at", "steps", "tokens", "cost_usd" })
            {
                Assert.Equal(view.GetProperty(field).GetRawText(), row.GetProperty(field).GetRawText());
            }
        }

        Assert.Equal(4, rows[completed].GetProperty("steps").GetInt32());
        Assert.Equal(Duration(rows[completed]), rows[completed].GetProperty("duration_ms").GetInt64());
        Assert.Equal((2, 90L, 0.75m, "blocked"), (rows[blocked].GetProperty("steps").GetInt32(), rows[blocked].GetProperty("tokens").GetInt64(),
            rows[blocked].GetProperty("cost_usd").GetDecimal(), rows[blocked].GetProperty("status").GetString()));
        Assert.Equal(30L, rows[blocked].GetProperty("duration_ms").GetInt64());
        Assert.Equal((2, 18L, 0.75m), (rows[running].GetProperty("steps").GetInt32(), rows[running].GetProperty("tokens").GetInt64(),
            rows[running].GetProperty("cost_usd").GetDecimal()));
        Assert.Equal(JsonValueKind.Null, rows[running].GetProperty("duration_ms").ValueKind);
    }

    [Fact]
    public async Task Filters_still_apply_to_rows_with_totals_and_bad_ones_are_named_problems()
    {
        using var client = _factory.CreateAuthenticatedClient(_key);
        var completed = await RunToEndAsync(client);

        using (var byStatus = await client.GetWithTimeoutAsync("/runs?status=completed&workflow=review&limit=1"))
        {
            var row = Assert.Single((await byStatus.ReadJsonAsync()).GetProperty("runs").EnumerateArray());
            Assert.Equal(completed, row.GetProperty("run_id").GetString());
            Assert.Equal(4, row.GetProperty("steps").GetInt32());
        }

        using (var none = await client.GetWithTimeoutAsync("/runs?status=failed"))
        {
            Assert.Empty((await none.ReadJsonAsync()).GetProperty("runs").EnumerateArray());
        }

        foreach (var (query, field) in new[] { ("limit=501", "limit"), ("created_before=soon", "created_before"), ("cursor=nope", "cursor") })
        {
            using var bad = await client.GetWithTimeoutAsync("/runs?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
            var text = await bad.ReadTextAsync();
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
            Assert.Equal(field, (await bad.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("path").GetString());
        }
    }

    // The milliseconds from a list row's created_at to its updated_at.
    private static long Duration(JsonElement row) =>
        (long)(DateTimeOffset.Parse(row.GetProperty("updated_at").GetString()!, CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse(row.GetProperty("created_at").GetString()!, CultureInfo.InvariantCulture)).TotalMilliseconds;

    private static async Task<string> RunToEndAsync(HttpClient client)
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { yaml = RunEndpointTests.Review, input = "NDA" }), Encoding.UTF8, "application/json");
        using var response = await client.PostWithTimeoutAsync("/runs", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.ReadJsonAsync()).GetProperty("run_id").GetString()!;

        // The event stream ends with the run's run_end.
        using var events = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/runs/{runId}/events"), HttpCompletionOption.ResponseHeadersRead,
            TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        var body = await events.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        var all = await ServerSentEvents.ReadAllAsync(body, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        Assert.Equal("run_end", all[^1].Event);
        return runId;
    }

    private static string NewRun() => "run-" + Guid.NewGuid().ToString("N");

    private LedgerRecord Record(string runId, long seq, string kind, string payload) => new()
    {
        TenantId = _tenant,
        RunId = runId,
        Seq = seq,
        PrevHash = new string('0', 64),
        Timestamp = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero).AddMilliseconds(seq * 10),
        Kind = kind,
        StepId = kind == LedgerRecordKinds.Step ? JsonDocument.Parse(payload).RootElement.GetProperty("step_id").GetString() : null,
        Verdict = kind == LedgerRecordKinds.Step ? "commit" : null,
        SigningKeyId = "test",
        PayloadHash = new string('1', 64),
        EntryHash = seq.ToString("x64", CultureInfo.InvariantCulture),
        Payload = payload,
    };
}
