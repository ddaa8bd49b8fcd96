using System.Text;
using MeshFlow.AppHost.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;

namespace MeshFlow.AppHost.Tests;

/// <summary>
/// The canary across the topology: a run under <c>hipaa</c> whose input holds one identifier of every type leaves none
/// of them in any sink: Postgres (every table, every value), Redis (every key: the queue, the kept events, the signals),
/// the events a client reads, and the api's and workers' log output.
/// </summary>
[Collection(SharedAppHost.Name)]
public sealed class DistributedPrivacyTests(AppHostFixture fixture)
{
    private const string Workflow = """
        name: discharge-note
        policy: hipaa
        nodes:
          - id: summarizer
            model: offline
          - id: reviewer
            model: offline
        edges:
          - from: summarizer
            to: reviewer
        """;

    // One identifier of every type the scrubber recognizes; the note below carries each of them.
    private static readonly (string Type, string Value)[] Identifiers =
    [
        ("NAME", "Maria Gonzalez"), ("DATE", "03/14/1962"), ("PHONE", "(617) 555-0142"), ("FAX", "617-555-0199"),
        ("EMAIL", "maria.gonzalez@example.org"), ("SSN", "123-45-6789"), ("MRN", "00482913"), ("HEALTH_PLAN", "XGH448812903"),
        ("ACCOUNT", "0048817723"), ("LICENSE", "D4456123"), ("VEHICLE", "1HGCM82633A004352"), ("DEVICE", "PM88213XQ"),
        ("IP", "192.168.14.201"), ("URL", "https://portal.example-clinic.org/patients/48213"), ("ZIP", "MA 02118"),
        ("CARD", "4111 1111 1111 1111"),
    ];

    private const string Note =
        "Patient Maria Gonzalez, DOB 03/14/1962, phone (617) 555-0142, fax 617-555-0199, " +
        "email maria.gonzalez@example.org, SSN 123-45-6789, MRN 00482913, member ID XGH448812903, account number 0048817723, " +
        "driver's license D4456123, vehicle VIN 1HGCM82633A004352, pacemaker serial number PM88213XQ, " +
        "portal login from 192.168.14.201 at https://portal.example-clinic.org/patients/48213, lives in Boston, MA 02118, " +
        "card on file 4111 1111 1111 1111. Stable for discharge.";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static IReadOnlyList<string> FoundIn(string text) =>
        [.. Identifiers.Where(i => text.Contains(i.Value, StringComparison.Ordinal)).Select(i => i.Type)];

    [Fact]
    public async Task After_a_hipaa_run_no_sink_of_the_topology_holds_any_identifier_of_its_input()
    {
        using var client = fixture.CreateApiClient(AppHostFixture.AcmeKey);
        var runId = await ApprovalApi.StartAsync(client, Workflow, Note);
        var events = await ApprovalApi.ReadEventsAsync(client, runId);
        Assert.Equal("run_end", events[^1].Event);
        Assert.Empty(FoundIn(string.Join("\n", events.Select(e => e.Data.GetRawText()))));

        var trace = await ApprovalApi.GetJsonAsync(client, $"/traces/{runId}");
        Assert.Empty(FoundIn(trace.GetRawText()));
        Assert.Contains("[PHI-REDACTED:SSN]", trace.GetProperty("steps")[0].GetProperty("input_task").GetString(), StringComparison.Ordinal);
        Assert.True((await ApprovalApi.GetJsonAsync(client, $"/traces/{runId}/verify")).GetProperty("valid").GetBoolean());

        Assert.Empty(FoundIn(await DumpPostgresAsync(runId)));
        Assert.Empty(FoundIn(await DumpRedisAsync()));
        Assert.Empty(FoundIn(await ReadLogsAsync()));
    }

    // Every value of every table; payloads are stored as bytes (compressed above 10 KiB, which this run's are not).
    private async Task<string> DumpPostgresAsync(string runId)
    {
        var dump = new StringBuilder();
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync("ledger"));
        await connection.OpenAsync(Token);
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables " +
            "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')", connection))
        await using (var reader = await list.ExecuteReaderAsync(Token))
        {
            while (await reader.ReadAsync(Token))
            {
                tables.Add(reader.GetString(0));
            }
        }

        await using (var compressed = new NpgsqlCommand("SELECT count(*) FROM ledger_records WHERE run_id = @run AND payload_compressed", connection))
        {
            compressed.Parameters.AddWithValue("run", runId);
            Assert.Equal(0L, (long)(await compressed.ExecuteScalarAsync(Token))!);
        }

        Assert.Contains(tables, t => t.EndsWith("ledger_records", StringComparison.Ordinal));
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT * FROM {table}", connection);
            await using var reader = await select.ExecuteReaderAsync(Token);
            while (await reader.ReadAsync(Token))
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    dump.Append(reader.IsDBNull(i) ? string.Empty : reader.GetValue(i) switch
                    {
                        byte[] bytes => Encoding.UTF8.GetString(bytes),
                        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
                    }).Append('\n');
                }
            }
        }

        return dump.ToString();
    }

    // Every key of every type: strings, hashes, lists, sets, sorted sets and streams (the queue, kept events, signals).
    private async Task<string> DumpRedisAsync()
    {
        var dump = new StringBuilder();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync("redis")).WaitAsync(TestTimeouts.Default, Token);
        var server = redis.GetServer(redis.GetEndPoints().Single());
        var db = redis.GetDatabase();
        await foreach (var key in server.KeysAsync(pattern: "*").WithCancellation(Token))
        {
            dump.Append(key).Append('\n');
            switch (await db.KeyTypeAsync(key))
            {
                case RedisType.String:
                    dump.Append(await db.StringGetAsync(key)).Append('\n');
                    break;
                case RedisType.Hash:
                    dump.AppendJoin('\n', (await db.HashGetAllAsync(key)).Select(e => $"{e.Name}={e.Value}")).Append('\n');
                    break;
                case RedisType.List:
                    dump.AppendJoin('\n', await db.ListRangeAsync(key)).Append('\n');
                    break;
                case RedisType.Set:
                    dump.AppendJoin('\n', await db.SetMembersAsync(key)).Append('\n');
                    break;
                case RedisType.SortedSet:
                    dump.AppendJoin('\n', await db.SortedSetRangeByRankAsync(key)).Append('\n');
                    break;
                case RedisType.Stream:
                    foreach (var entry in await db.StreamRangeAsync(key))
                    {
                        dump.AppendJoin('\n', entry.Values.Select(v => $"{v.Name}={v.Value}")).Append('\n');
                    }

                    break;
            }
        }

        return dump.ToString();
    }

    // What the api and every worker replica have logged since they started (the log service keeps each one's backlog).
    private async Task<string> ReadLogsAsync()
    {
        var logs = new StringBuilder();
        var service = fixture.App.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var resource in fixture.Workers.Running.Append("api"))
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(Token);
            quiet.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                await foreach (var batch in service.WatchAsync(resource).WithCancellation(quiet.Token))
                {
                    foreach (var line in batch)
                    {
                        logs.Append(line.Content).Append('\n');
                    }
                }
            }
            catch (OperationCanceledException) when (!Token.IsCancellationRequested)
            {
            }
        }

        Assert.True(logs.Length > 0, "the api and workers logged nothing to read");
        return logs.ToString();
    }
}
