using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Steps.Privacy;

/// <summary>
/// The canary: a run under <c>hipaa</c> whose input holds one identifier of every type. Afterwards no sink of an
/// embedded engine holds any of them: the SQLite ledger's files (read as bytes, and table by table through SQL), the
/// run's events, and the spans it exported.
/// </summary>
public sealed class HipaaCanaryTests
{
    [Fact]
    public async Task After_a_hipaa_run_no_sink_holds_any_identifier_of_its_input()
    {
        var spans = new StringBuilder();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Append(activity.DisplayName).Append(' ').Append(activity.StatusDescription).Append('\n');
                    foreach (var tag in activity.TagObjects)
                    {
                        spans.Append(tag.Key).Append('=').Append(tag.Value).Append('\n');
                    }

                    foreach (var evt in activity.Events)
                    {
                        spans.Append(evt.Name).Append(' ').AppendJoin(' ', evt.Tags.Select(t => $"{t.Key}={t.Value}")).Append('\n');
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await using var ledger = await TestLedger.OpenSqliteAsync();
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger });
        var chart = AIFunctionFactory.Create((string? patient = null) => "Chart for " + patient + ": " + PhiCanary.Note,
            new AIFunctionFactoryOptions { Name = "chart" });
        var reader = DelegateChatClient.FromChunks("Summary written.");
        var workflow = new WorkflowBuilder("discharge")
            .AddNode(new AgentNode("clerk")
            {
                ChatClient = ToolCallingModel.Calling("chart", new Dictionary<string, object?> { ["patient"] = "Maria Gonzalez, DOB 03/14/1962" }),
                Tools = [chart],
            })
            .AddNode(new AgentNode("scribe") { ChatClient = EchoModel.Create(6) })
            .AddNode(new AgentNode("reader") { ChatClient = reader })
            .AddEdge("clerk", "scribe")
            .AddEdge("scribe", "reader")
            .WithPolicy(Policy.ForMode(PolicyModes.Hipaa) with { RiskThreshold = null, UncertaintyThreshold = 1 })
            .Build();

        var capture = await RunCapture.RunAsync(engine, workflow, PhiCanary.Note);
        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        // The agents worked with the original: the last one was given every identifier.
        Assert.Empty(PhiCanary.Identifiers.Select(i => i.Type).Except(PhiCanary.FoundIn(string.Join("\n", reader.Calls.Single().Select(m => m.Text)))));

        var events = string.Join("\n", capture.Events.Select(e => JsonSerializer.Serialize(e)));
        Assert.Empty(PhiCanary.FoundIn(events));
        Assert.Empty(PhiCanary.FoundIn(spans.ToString()));
        Assert.Empty(PhiCanary.FoundIn(await DumpTablesAsync(Path.Combine(ledger.Directory, "ledger.db"))));
        Assert.True((await ledger.Ledger.VerifyAsync("default", capture.Result.RunId)).Valid);

        // Closed, so that what the write-ahead log held is in the files read below.
        await ledger.Store.DisposeAsync();
        foreach (var file in Directory.GetFiles(ledger.Directory))
        {
            Assert.Empty(PhiCanary.FoundIn(Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken))));
        }

    }

    // Every value of every table, as text: strings as they are, blobs both as UTF-8 and, when they are compressed
    // payloads, decompressed.
    private static async Task<string> DumpTablesAsync(string path)
    {
        var dump = new StringBuilder();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await list.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("ledger_records", tables);
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    switch (reader.GetValue(i))
                    {
                        case string text:
                            dump.Append(text).Append('\n');
                            break;
                        case byte[] bytes:
                            dump.Append(Encoding.UTF8.GetString(bytes)).Append('\n');
                            try
                            {
                                dump.Append(LedgerPayloadCodec.Unpack(bytes, compressed: true)).Append('\n');
                            }
#pragma warning disable CA1031 // A blob that is not a compressed payload is read as UTF-8 above.
                            catch (Exception)
#pragma warning restore CA1031
                            {
                            }

                            break;
                    }
                }
            }
        }

        return dump.ToString();
    }
}
