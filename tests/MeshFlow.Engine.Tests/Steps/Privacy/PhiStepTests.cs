using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Steps.Privacy;

/// <summary>
/// scrub_phi in a run: what leaves a step (deltas, step_end, the ledger, the run's start and end) is scrubbed; the
/// agents after it still work with the original.
/// </summary>
public sealed class PhiStepTests
{
    // Sentence ends between the identifiers, so that the held deltas are cut and released in pieces; "Prof." is a
    // title before a name, not a sentence's end.
    private const string Note =
        "Follow-up seen today by Prof. Xiomara Quist. SSN 123-45-6789 is on file. DOB 03/14/1962 was confirmed. " +
        "Phone (617) 555-0142 works.\nEmail maria.gonzalez@example.org was checked. Stable.";

    private static readonly string[] Identifiers = ["Xiomara Quist", "123-45-6789", "03/14/1962", "(617) 555-0142", "maria.gonzalez@example.org"];

    private static Policy Scrubbing => Policy.ForMode(PolicyModes.Standard) with { ScrubPhi = true };

    private static (Workflow Workflow, DelegateChatClient Reader) EchoThenRead(int chunk, Policy policy)
    {
        var reader = DelegateChatClient.FromChunks("read");
        var workflow = new WorkflowBuilder("echo-then-read")
            .AddNode(new AgentNode("scribe") { ChatClient = EchoModel.Create(chunk) })
            .AddNode(new AgentNode("reader") { ChatClient = reader })
            .AddEdge("scribe", "reader")
            .WithPolicy(policy)
            .Build();
        return (workflow, reader);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(13)]
    [InlineData(4096)]
    public async Task Identifiers_split_across_deltas_never_reach_a_delta_and_the_deltas_add_up_to_the_recorded_output(int chunk)
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger });
        var (workflow, _) = EchoThenRead(chunk, Scrubbing);

        var capture = await RunCapture.RunAsync(engine, workflow, Note);

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var deltas = capture.Of<TokenDeltaEvent>().Where(d => d.NodeId == "scribe").Select(d => d.Text).ToList();
        var streamed = string.Concat(deltas);
        var end = capture.Of<StepEndEvent>().Single(e => e.NodeId == "scribe");
        var record = (await ledger.Store.ReadRecordsAsync("default", capture.Result.RunId)).Single(r => r.Kind == LedgerRecordKinds.Step && r.NodeId == "scribe");
        Assert.Equal(end.Output, streamed);
        Assert.Equal(end.Output, LedgerPayloads.ReadStep(record.Payload).Output);
        Assert.Contains("[PHI-REDACTED:SSN]", streamed, StringComparison.Ordinal);
        Assert.Contains("[PHI-REDACTED:EMAIL]", streamed, StringComparison.Ordinal);
        foreach (var identifier in Identifiers)
        {
            Assert.DoesNotContain(identifier, streamed, StringComparison.Ordinal);
        }

        // No delta carries a piece of an identifier either: each identifier's last four characters are nowhere.
        Assert.DoesNotContain(deltas, d => d.Contains("6789", StringComparison.Ordinal) || d.Contains("0142", StringComparison.Ordinal)
            || d.Contains("Quist", StringComparison.Ordinal));
        Assert.True(chunk >= 4096 || deltas.Count >= 4, $"the note was released in {deltas.Count} pieces, not sentence by sentence");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(11)]
    public async Task A_long_output_without_sentence_ends_is_cut_where_no_identifier_crosses(int chunk)
    {
        // Past 4,096 held characters the filter cuts at whitespace: the phone number sits across that point.
        var filler = string.Concat(Enumerable.Repeat("word ", 818));
        var text = filler + "call (617) 555-0142 or 617-555-0199 any time " + filler;
        await using var ledger = await TestLedger.OpenSqliteAsync();
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger });
        var (workflow, _) = EchoThenRead(chunk, Scrubbing);

        var capture = await RunCapture.RunAsync(engine, workflow, text);

        var deltas = capture.Of<TokenDeltaEvent>().Where(d => d.NodeId == "scribe").Select(d => d.Text).ToList();
        Assert.True(deltas.Count > 1, "the output was not released in pieces");
        var end = capture.Of<StepEndEvent>().Single(e => e.NodeId == "scribe");
        Assert.Equal(end.Output, string.Concat(deltas));
        var record = (await ledger.Store.ReadRecordsAsync("default", capture.Result.RunId)).Single(r => r.Kind == LedgerRecordKinds.Step && r.NodeId == "scribe");
        Assert.Equal(end.Output, LedgerPayloads.ReadStep(record.Payload).Output);
        Assert.DoesNotContain(deltas, d => d.Contains("0142", StringComparison.Ordinal) || d.Contains("0199", StringComparison.Ordinal));
        Assert.Equal(2, end.Output.Split("[PHI-REDACTED:").Length - 1);
    }

    [Fact]
    public async Task The_agent_after_a_scrubbed_step_still_sees_the_original()
    {
        var (workflow, reader) = EchoThenRead(9, Scrubbing);

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, Note);

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var seen = string.Join("\n", Assert.Single(reader.Calls).Select(m => m.Text));
        foreach (var identifier in Identifiers)
        {
            Assert.Contains(identifier, seen, StringComparison.Ordinal);
        }

        // The in-process result is the caller's own: it keeps what the steps produced.
        Assert.Contains("123-45-6789", capture.Result.Steps.Single(s => s.NodeId == "scribe").Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_record_and_event_of_a_scrubbed_run_is_free_of_the_identifiers_and_the_chain_verifies()
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger });
        var chart = AIFunctionFactory.Create((string? query = null) => "Chart: MRN 00482913, SSN 123-45-6789.", new AIFunctionFactoryOptions { Name = "chart" });
        var workflow = new WorkflowBuilder("chart-review")
            .AddNode(new AgentNode("clerk")
            {
                ChatClient = ToolCallingModel.Calling("chart", new Dictionary<string, object?> { ["query"] = "SSN 123-45-6789" }),
                Tools = [chart],
            })
            .AddNode(new AgentNode("scribe") { ChatClient = EchoModel.Create(11) })
            .AddEdge("clerk", "scribe")
            .WithPolicy(Scrubbing)
            .Build();

        var capture = await RunCapture.RunAsync(engine, workflow, Note);

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var records = await ledger.Store.ReadRecordsAsync("default", capture.Result.RunId);
        var events = string.Join("\n", capture.Events.Select(e => System.Text.Json.JsonSerializer.Serialize(e)));
        foreach (var identifier in Identifiers.Append("00482913"))
        {
            Assert.DoesNotContain(identifier, events, StringComparison.Ordinal);
            Assert.DoesNotContain(records, r => r.Payload.Contains(identifier, StringComparison.Ordinal));
        }

        Assert.Contains("[PHI-REDACTED:SSN]", LedgerPayloads.ReadRunStart(records[0].Payload).Input, StringComparison.Ordinal);
        var clerk = LedgerPayloads.ReadStep(records.Single(r => r.NodeId == "clerk").Payload);
        Assert.Contains("[PHI-REDACTED:MRN]", Assert.Single(clerk.ToolCalls).Result, StringComparison.Ordinal);
        Assert.Contains("[PHI-REDACTED:SSN]", clerk.ToolCalls[0].Arguments, StringComparison.Ordinal);
        Assert.Contains("[PHI-REDACTED:SSN]", capture.Of<RunStartEvent>().Single().Input, StringComparison.Ordinal);
        var verification = await ledger.Ledger.VerifyAsync("default", capture.Result.RunId);
        Assert.True(verification.Valid, verification.Reason);
    }

    [Fact]
    public async Task Without_scrub_phi_the_ledger_keeps_the_text_as_it_was()
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger });
        var (workflow, _) = EchoThenRead(7, Policy.ForMode(PolicyModes.Standard));

        var capture = await RunCapture.RunAsync(engine, workflow, Note);

        var record = (await ledger.Store.ReadRecordsAsync("default", capture.Result.RunId)).Single(r => r.Kind == LedgerRecordKinds.Step && r.NodeId == "scribe");
        Assert.Equal(Note, LedgerPayloads.ReadStep(record.Payload).Output);
        Assert.Equal(Note, string.Concat(capture.Of<TokenDeltaEvent>().Where(d => d.NodeId == "scribe").Select(d => d.Text)));
    }
}
