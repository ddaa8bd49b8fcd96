using MeshFlow.Agents;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Ledger;

/// <summary>The engine writing runs through the ledger, on the embedded SQLite store.</summary>
public sealed class LedgerRunTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "meshflow-ledger-" + Guid.NewGuid().ToString("N"));
    private readonly Ed25519LedgerSigner _signer = Ed25519LedgerSigner.Create();
    private ILedgerStore _store = null!;
    private AuditLedger _ledger = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = await TestStores.OpenSqliteAsync(Path.Combine(_directory, "ledger.db"));
        _ledger = new AuditLedger(_store, _signer);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _signer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private MeshFlowEngine Engine(Action<MeshFlowEngineOptions>? configure = null)
    {
        var options = new MeshFlowEngineOptions { Ledger = _ledger };
        configure?.Invoke(options);
        return new MeshFlowEngine(options);
    }

    private static Workflow Review(int maxIterations = 3) => new WorkflowBuilder("review")
        .AddNode(new AgentNode("writer") { Model = ModelNames.Offline, Instructions = "Draft." })
        .AddNode(new AgentNode("critic") { Model = ModelNames.Scripted, Responses = ["REVISE", "REVISE", "APPROVED"] })
        .AddEdge("writer", "critic")
        .AddLoopEdge("critic", "writer", "!contains(output, 'APPROVED')", maxIterations)
        .WithOutput("writer")
        .Build();

    [Fact]
    public async Task A_run_is_recorded_start_to_end_with_a_signed_head_and_verifies()
    {
        var result = await Engine().RunAsync(Review(), "NDA", new RunOptions { TenantId = "acme" });

        var records = await _store.ReadRecordsAsync("acme", result.RunId);
        var verification = await _ledger.VerifyAsync("acme", result.RunId);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(8, records.Count);
        Assert.Equal(LedgerRecordKinds.RunStart, records[0].Kind);
        Assert.Equal(LedgerRecordKinds.RunEnd, records[^1].Kind);
        Assert.Equal(["writer:1", "critic:1", "writer:2", "critic:2", "writer:3", "critic:3"], records.Where(r => r.Kind == LedgerRecordKinds.Step).Select(r => r.StepId));
        Assert.True(verification.Valid, verification.Detail);
        Assert.True(verification.HeadSigned);
        var start = LedgerPayloads.ReadRunStart(records[0].Payload);
        Assert.Equal(("review", "NDA", Review().Digest), (start.Workflow, start.Input, start.WorkflowDigest));
        Assert.Equal("completed", LedgerPayloads.ReadRunEnd(records[^1].Payload).Status);
        Assert.Empty(await _store.ReadRecordsAsync("globex", result.RunId));
    }

    [Fact]
    public async Task A_steps_record_is_committed_before_its_step_end_is_published()
    {
        var engine = Engine();
        var run = engine.Start(Review(), "NDA");
        var committedAtStepEnd = new List<bool>();
        await foreach (var evt in run.Events)
        {
            if (evt is StepEndEvent end)
            {
                committedAtStepEnd.Add(await _store.ReadStepRecordAsync(RunOptions.DefaultTenant, run.RunId, end.StepId!) is not null);
            }
        }

        await run.Completion;
        Assert.Equal(6, committedAtStepEnd.Count);
        Assert.All(committedAtStepEnd, Assert.True);
    }

    [Theory]
    [InlineData(5_000)]
    [InlineData(1_000_000)]
    public async Task Outputs_are_stored_in_full_and_read_back_byte_identical(int length)
    {
        var output = string.Create(length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + (i * 7919 % 26));
            }
        }) + "€ end";
        var workflow = new WorkflowBuilder("big").AddFunction("writer", _ => output).Build();

        var result = await Engine().RunAsync(workflow, "x");

        Assert.Equal(output, await _ledger.GetOutputAsync(RunOptions.DefaultTenant, result.RunId, "writer:1"));
        Assert.True((await _ledger.VerifyAsync(RunOptions.DefaultTenant, result.RunId)).Valid);
    }

    [Fact]
    public async Task MaxOutputChars_truncates_only_when_the_policy_asks_and_the_record_says_so()
    {
        var workflow = new WorkflowBuilder("long").AddFunction("writer", _ => new string('x', 500))
            .WithPolicy(Policy.ForMode(PolicyModes.Standard) with { MaxOutputChars = 100 }).Build();

        var result = await Engine().RunAsync(workflow, "x");

        var payload = LedgerPayloads.ReadStep((await _store.ReadStepRecordAsync(RunOptions.DefaultTenant, result.RunId, "writer:1"))!.Payload);
        Assert.Equal((100, true, 500), (payload.Output.Length, payload.OutputTruncated, payload.OutputChars));
        Assert.Equal(500, result.Output.Length);
    }

    [Fact]
    public async Task A_run_resumed_after_a_crash_continues_after_its_last_committed_record_without_executing_recorded_steps()
    {
        var calls = new Dictionary<string, int>();
        var workflow = new WorkflowBuilder("crashy")
            .AddFunction("a", _ => Count(calls, "a", "A"))
            .AddFunction("b", ctx => Count(calls, "b", "B"))
            .AddFunction("c", ctx => Count(calls, "c", "C:" + ctx.State.Get<string>("seen")))
            .AddEdge("a", "b").AddEdge("b", "c")
            .Build();

        // The real resume: a run whose process died after committing a and b.
        var partial = await RecordPartialRunAsync("run_crash");
        var continued = await Engine().RunAsync(workflow, "x", new RunOptions { RunId = partial, Resume = true });

        Assert.Equal(RunStatus.Completed, continued.Status);
        Assert.Equal("C:b", continued.Output);
        Assert.False(calls.ContainsKey("a"));
        Assert.False(calls.ContainsKey("b"));
        Assert.Equal(1, calls["c"]);
        var records = await _store.ReadRecordsAsync(RunOptions.DefaultTenant, partial);
        Assert.Equal(["a:1", "b:1", "c:1"], records.Where(r => r.Kind == LedgerRecordKinds.Step).Select(r => r.StepId));
        Assert.Equal(records.Count, records.Select(r => r.Seq).Distinct().Count());
        Assert.True((await _ledger.VerifyAsync(RunOptions.DefaultTenant, partial)).Valid);
    }

    [Fact]
    public async Task Replaying_a_recorded_run_makes_no_provider_calls_and_answers_identical()
    {
        var calls = 0;
        var client = new DelegateChatClient((_, _, ct) =>
        {
            Interlocked.Increment(ref calls);
            return DelegateChatClient.Yield(["draft"], ct);
        });
        Workflow Build() => new WorkflowBuilder("replayable")
            .AddNode(new AgentNode("writer") { ChatClient = client })
            .AddNode(new AgentNode("critic") { Model = ModelNames.Scripted, Responses = ["REVISE", "APPROVED"] })
            .AddEdge("writer", "critic")
            .AddLoopEdge("critic", "writer", "!contains(output, 'APPROVED')")
            .Build();
        var recorded = await Engine().RunAsync(Build(), "NDA");
        var before = calls;

        var replay = await LedgerReplay.ReplayAsync(new MeshFlowEngine(), Build(), _ledger, RunOptions.DefaultTenant, recorded.RunId);

        Assert.True(replay.Identical, replay.Detail);
        Assert.Equal(4, replay.StepsReplayed);
        Assert.Equal(before, calls);
    }

    [Fact]
    public async Task Replaying_through_a_changed_workflow_names_the_first_step_where_it_diverges()
    {
        var recorded = await Engine().RunAsync(Review(), "NDA");
        var changed = new WorkflowBuilder("review")
            .AddNode(new AgentNode("writer") { Model = ModelNames.Offline, Instructions = "Draft." })
            .AddNode(new AgentNode("legal") { Model = ModelNames.Offline })
            .AddNode(new AgentNode("critic") { Model = ModelNames.Scripted, Responses = ["REVISE", "REVISE", "APPROVED"] })
            .AddEdge("writer", "legal").AddEdge("legal", "critic")
            .AddLoopEdge("critic", "writer", "!contains(output, 'APPROVED')", 3)
            .Build();

        var replay = await LedgerReplay.ReplayAsync(new MeshFlowEngine(), changed, _ledger, RunOptions.DefaultTenant, recorded.RunId);

        Assert.False(replay.Identical);
        Assert.Equal("legal:1", replay.StepId);
        Assert.Equal("unrecorded_step", replay.Reason);
        Assert.Equal(3, replay.DivergedAtSeq);
    }

    [Fact]
    public async Task Replaying_where_a_step_now_gets_a_different_input_reports_it_at_that_step()
    {
        var recordedWorkflow = new WorkflowBuilder("join")
            .AddFunction("a", _ => "A").AddFunction("b", _ => "B").AddFunction("c", ctx => ctx.InputText)
            .AddEdge("a", "c").AddEdge("b", "c")
            .Build();
        var recorded = await Engine().RunAsync(recordedWorkflow, "x");
        var changed = new WorkflowBuilder("join")
            .AddFunction("a", _ => "A").AddFunction("b", _ => "B").AddFunction("c", ctx => ctx.InputText)
            .AddEdge("a", "c")
            .Build();

        var replay = await LedgerReplay.ReplayAsync(new MeshFlowEngine(), changed, _ledger, RunOptions.DefaultTenant, recorded.RunId);
        var records = await _store.ReadRecordsAsync(RunOptions.DefaultTenant, recorded.RunId);

        Assert.False(replay.Identical);
        Assert.Equal(("c:1", "different_input"), (replay.StepId, replay.Reason));
        Assert.Equal(records.Single(r => r.StepId == "c:1").Seq, replay.DivergedAtSeq);
    }

    [Fact]
    public async Task A_recorded_run_that_failed_at_a_node_replays_identically_up_to_the_same_failure()
    {
        var calls = 0;
        Workflow Build() => new WorkflowBuilder("fails")
            .AddFunction("a", _ => { Interlocked.Increment(ref calls); return "A"; })
            .AddNode(new FunctionNode("b", (_, _) => throw new InvalidOperationException("disk on fire")))
            .AddEdge("a", "b")
            .Build();
        var recorded = await Engine().RunAsync(Build(), "x");

        var replay = await LedgerReplay.ReplayAsync(new MeshFlowEngine(), Build(), _ledger, RunOptions.DefaultTenant, recorded.RunId);

        Assert.Equal(RunStatus.Failed, recorded.Status);
        Assert.True(replay.Identical, replay.Detail);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_replay_of_an_erased_run_says_it_could_not_use_the_recording()
    {
        var recorded = await Engine().RunAsync(Review(), "NDA");
        await _ledger.EraseAsync(RunOptions.DefaultTenant, recorded.RunId, [2], "request");

        var replay = await LedgerReplay.ReplayAsync(new MeshFlowEngine(), Review(), _ledger, RunOptions.DefaultTenant, recorded.RunId);

        Assert.False(replay.Identical);
        Assert.Equal("replay_failed", replay.Reason);
        Assert.Contains("erased", replay.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erasing_a_run_keeps_its_chain_valid_and_lists_the_redacted_records()
    {
        var result = await Engine().RunAsync(Review(), "patient John Doe");

        var erased = await _ledger.EraseAsync(RunOptions.DefaultTenant, result.RunId, null, "GDPR request 42");
        var verification = await _ledger.VerifyAsync(RunOptions.DefaultTenant, result.RunId);
        var records = await _store.ReadRecordsAsync(RunOptions.DefaultTenant, result.RunId);

        Assert.Equal(8, erased);
        Assert.True(verification.Valid, verification.Detail);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), verification.Redacted);
        Assert.DoesNotContain(records, r => r.Payload.Contains("John Doe", StringComparison.Ordinal));
        Assert.Null(await _ledger.GetOutputAsync(RunOptions.DefaultTenant, result.RunId, "writer:1"));
    }

    [Fact]
    public async Task Starting_a_run_with_an_id_the_ledger_already_holds_fails_instead_of_forking_it()
    {
        await Engine().RunAsync(Review(), "NDA", new RunOptions { RunId = "run_taken" });

        var again = await Engine().RunAsync(Review(), "NDA", new RunOptions { RunId = "run_taken" });

        Assert.Equal(RunStatus.Failed, again.Status);
        Assert.Equal(RunErrorCodes.LedgerFailed, again.Error!.Code);
        Assert.True((await _ledger.VerifyAsync(RunOptions.DefaultTenant, "run_taken")).Valid);
    }

    [Fact]
    public async Task Thirty_two_concurrent_writers_of_two_hundred_records_each_leave_one_unforked_chain_that_verifies()
    {
        const string Run = "run_contended";
        await Task.WhenAll(Enumerable.Range(0, 32).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                var payload = $"{{\"writer\":{writer},\"i\":{i}}}";
                await _ledger.AppendAsync(RunOptions.DefaultTenant, Run,
                    new LedgerEntry { Kind = LedgerRecordKinds.Step, Payload = payload, StepId = $"w{writer}:{i}", NodeId = $"w{writer}" });
            }
        }))).WaitAsync(TimeSpan.FromMinutes(3));
        await _ledger.SignHeadAsync(RunOptions.DefaultTenant, Run);

        var records = await _store.ReadRecordsAsync(RunOptions.DefaultTenant, Run);
        var verification = await _ledger.VerifyAsync(RunOptions.DefaultTenant, Run);

        Assert.Equal(Enumerable.Range(1, 6_400).Select(i => (long)i), records.Select(r => r.Seq));
        Assert.Equal(6_400, records.Select(r => r.StepId).Distinct().Count());
        Assert.True(verification.Valid, verification.Detail);
        Assert.True(verification.HeadSigned);
    }

    private static string Count(Dictionary<string, int> calls, string node, string output)
    {
        lock (calls)
        {
            calls[node] = calls.GetValueOrDefault(node) + 1;
        }

        return output;
    }

    // What a worker that died after committing steps a and b leaves behind: run_start, a, b, and nothing more.
    private async Task<string> RecordPartialRunAsync(string runId)
    {
        var workflow = new WorkflowBuilder("crashy")
            .AddFunction("a", _ => "A")
            .AddFunction("b", ctx => { ctx.State.Set("seen", "b"); return "B"; })
            .AddNode(new FunctionNode("c", async (_, ct) => { await Task.Delay(Timeout.InfiniteTimeSpan, ct); return "never"; }))
            .AddEdge("a", "b").AddEdge("b", "c")
            .Build();
        var engine = Engine();
        var run = engine.Start(workflow, "x", new RunOptions { RunId = runId, CaptureEvents = true });
        await foreach (var evt in run.Events)
        {
            if (evt is StepStartEvent { NodeId: "c" })
            {
                break;
            }
        }

        // Kill the run without letting it write its end: what a crashed process looks like to the ledger.
        var records = await _store.ReadRecordsAsync(RunOptions.DefaultTenant, runId);
        Assert.Equal(3, records.Count);
        run.Cancel();
        await run.Completion;
        return await CopyPrefixAsync(runId, records);
    }

    private async Task<string> CopyPrefixAsync(string runId, IReadOnlyList<LedgerRecord> prefix)
    {
        // The cancelled run wrote its run_end; a crashed one would not have. Rebuild the crashed state under a new id
        // from the committed prefix, re-chained as the ledger would have written it.
        var crashed = runId + "_crashed";
        foreach (var record in prefix)
        {
            var entry = new LedgerEntry
            {
                Kind = record.Kind, Payload = record.Payload, NodeId = record.NodeId, AgentId = record.AgentId, StepId = record.StepId,
                Verdict = record.Verdict, BlockReason = record.BlockReason, DurationMs = record.DurationMs,
                Tokens = new TokenUsage(record.TokensInput, record.TokensOutput, record.TokensEstimated), CostUsd = record.CostUsd,
            };
            await _ledger.AppendAsync(RunOptions.DefaultTenant, crashed, entry);
        }

        return crashed;
    }
}
