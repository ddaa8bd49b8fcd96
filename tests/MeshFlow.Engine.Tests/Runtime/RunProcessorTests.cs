using System.Text.Json;
using MeshFlow.Declarative;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Runtime;
using MeshFlow.Runtime.InProcess;
using MeshFlow.Tests.Support;

namespace MeshFlow.Tests.Runtime;

/// <summary>The worker's side of a run (queue → ledger → events → acknowledgement), on the embedded implementations.</summary>
public sealed class RunProcessorTests : IAsyncLifetime
{
    private const string Tenant = "acme";

    private const string Review = """
        name: review
        nodes:
          - id: writer
            model: offline
            instructions: Draft the clause.
          - id: critic
            model: scripted
            responses: [APPROVED]
        edges:
          - from: writer
            to: critic
        """;

    private TestLedger _test = null!;
    private readonly InProcessRunQueue _queue = new();
    private readonly InProcessRunEventBus _events = new();
    private readonly InProcessRunSignals _signals = new();
    private ILedgerStore _store = null!;
    private AuditLedger _ledger = null!;
    private RunSubmitter _submitter = null!;
    private RunProcessor _processor = null!;

    public async ValueTask InitializeAsync()
    {
        _test = await TestLedger.OpenSqliteAsync();
        (_store, _ledger) = (_test.Store, _test.Ledger);
        _submitter = new RunSubmitter(_ledger, _queue);
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = _ledger });
        _processor = new RunProcessor(engine, _queue, _events, _signals, new RunProcessorOptions { MaxDeliveries = 3, Consumer = "test" });
    }

    public ValueTask DisposeAsync() => _test.DisposeAsync();

    private Task<SubmittedRun> SubmitAsync(string input = "NDA", string? key = null, string definition = Review) =>
        _submitter.SubmitAsync(new RunSubmission
        {
            TenantId = Tenant, Workflow = WorkflowYaml.Load(definition), Definition = definition, Input = input, IdempotencyKey = key,
        });

    private async Task<QueuedRun> TakeAsync()
    {
        var runs = await _queue.ReadAsync("test", 1, TestTimeouts.Default, TestContext.Current.CancellationToken);
        return Assert.Single(runs);
    }

    private async Task<List<JsonElement>> EventsAsync(string runId)
    {
        var events = new List<JsonElement>();
        await foreach (var evt in _events.ReadAsync(Tenant, runId, 0, follow: false, TestContext.Current.CancellationToken))
        {
            events.Add(JsonDocument.Parse(evt.Json).RootElement.Clone());
        }

        return events;
    }

    [Fact]
    public async Task A_submitted_run_is_queued_in_the_ledger_then_processed_to_completed_and_acknowledged()
    {
        var submitted = await SubmitAsync();

        var queued = await _store.ReadRunAsync(Tenant, submitted.RunId);
        Assert.Equal(("queued", true), (queued!.Status, await _queue.HoldsAsync(Tenant, submitted.RunId)));

        var result = await _processor.ProcessAsync(await TakeAsync(), TestContext.Current.CancellationToken);

        Assert.Equal(RunStatus.Completed, result!.Status);
        Assert.Equal("completed", (await _store.ReadRunAsync(Tenant, submitted.RunId))!.Status);
        Assert.False(await _queue.HoldsAsync(Tenant, submitted.RunId));
        var records = await _store.ReadRecordsAsync(Tenant, submitted.RunId);
        Assert.Equal([LedgerRecordKinds.RunStart, LedgerRecordKinds.Step, LedgerRecordKinds.Step, LedgerRecordKinds.RunEnd], records.Select(r => r.Kind));
        Assert.Equal(Review, LedgerPayloads.ReadRunStart(records[0].Payload).Definition);
        Assert.True((await _ledger.VerifyAsync(Tenant, submitted.RunId)).Valid);
    }

    [Fact]
    public async Task Events_are_numbered_without_gaps_deltas_precede_their_step_end_and_run_end_is_last()
    {
        var submitted = await SubmitAsync();
        await _processor.ProcessAsync(await TakeAsync(), TestContext.Current.CancellationToken);

        var events = await EventsAsync(submitted.RunId);

        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal("run_start", events[0].GetProperty("kind").GetString());
        Assert.Equal("run_end", events[^1].GetProperty("kind").GetString());
        var writer = events.Where(e => e.TryGetProperty("step_id", out var s) && s.GetString() == "writer:1").ToList();
        var deltas = writer.Where(e => e.GetProperty("kind").GetString() == "token_delta").Select(e => e.GetProperty("data").GetProperty("text").GetString());
        var end = writer.Single(e => e.GetProperty("kind").GetString() == "step_end");
        Assert.NotEmpty(deltas);
        Assert.Equal(end.GetProperty("data").GetProperty("output").GetString(), string.Concat(deltas));
        Assert.Equal("step_end", writer[^1].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_run_cancelled_before_a_worker_takes_it_ends_cancelled_in_the_ledger_and_the_events()
    {
        var submitted = await SubmitAsync();
        await _signals.RequestCancelAsync(Tenant, submitted.RunId);

        var result = await _processor.ProcessAsync(await TakeAsync(), TestContext.Current.CancellationToken);

        Assert.Equal(RunStatus.Cancelled, result!.Status);
        Assert.Equal("cancelled", (await _store.ReadRunAsync(Tenant, submitted.RunId))!.Status);
        Assert.Equal("cancelled", (await EventsAsync(submitted.RunId))[^1].GetProperty("data").GetProperty("status").GetString());
        Assert.True((await _ledger.VerifyAsync(Tenant, submitted.RunId)).Valid);
    }

    [Fact]
    public async Task An_entry_delivered_too_many_times_is_dead_lettered_and_its_run_fails_with_the_reason()
    {
        var submitted = await SubmitAsync();
        var delivery = await TakeAsync() with { DeliveryCount = 4 };

        Assert.Null(await _processor.ProcessAsync(delivery, TestContext.Current.CancellationToken));

        var (run, reason) = Assert.Single(_queue.DeadLetters);
        Assert.Equal(submitted.RunId, run.Request.RunId);
        Assert.Contains("delivered 4 times", reason, StringComparison.Ordinal);
        Assert.Equal("failed", (await _store.ReadRunAsync(Tenant, submitted.RunId))!.Status);
        var end = LedgerPayloads.ReadRunEnd((await _store.ReadLastRecordAsync(Tenant, submitted.RunId))!.Payload);
        Assert.Equal(RunErrorCodes.DeadLettered, end.Error!.Code);
        Assert.False(await _queue.HoldsAsync(Tenant, submitted.RunId));
        Assert.True((await _ledger.VerifyAsync(Tenant, submitted.RunId)).Valid);
    }

    [Fact]
    public async Task A_second_delivery_of_an_ended_run_is_acknowledged_without_executing_anything()
    {
        var submitted = await SubmitAsync();
        var delivery = await TakeAsync();
        await _processor.ProcessAsync(delivery, TestContext.Current.CancellationToken);
        var before = await _store.ReadRecordsAsync(Tenant, submitted.RunId);

        Assert.Null(await _processor.ProcessAsync(delivery with { DeliveryCount = 2 }, TestContext.Current.CancellationToken));

        Assert.Equal(before.Count, (await _store.ReadRecordsAsync(Tenant, submitted.RunId)).Count);
    }

    [Fact]
    public async Task A_run_taken_over_from_a_dead_worker_reuses_its_committed_step_and_continues_the_event_numbering()
    {
        var submitted = await SubmitAsync();
        var delivery = await TakeAsync();

        // The dead worker committed writer:1 and published its events before dying.
        await _ledger.AppendAsync(Tenant, submitted.RunId, new LedgerEntry
        {
            Kind = LedgerRecordKinds.Step, NodeId = "writer", StepId = "writer:1", Verdict = "commit",
            Payload = LedgerPayloads.Step(new StepPayload { StepId = "writer:1", Iteration = 1, InputTask = "NDA", Output = "RECORDED" }),
        });
        var published = new MeshEvent[]
        {
            new RunStartEvent { RunId = submitted.RunId, Workflow = "review", Input = "NDA", Policy = "standard" },
            new StepStartEvent { RunId = submitted.RunId, NodeId = "writer", StepId = "writer:1", Iteration = 1 },
            new TokenDeltaEvent { RunId = submitted.RunId, NodeId = "writer", StepId = "writer:1", Text = "RECORDED" },
            new StepEndEvent { RunId = submitted.RunId, NodeId = "writer", StepId = "writer:1", Output = "RECORDED" },
            new StepStartEvent { RunId = submitted.RunId, NodeId = "critic", StepId = "critic:1", Iteration = 1 },
        };
        for (var i = 0; i < published.Length; i++)
        {
            var evt = published[i] with { Seq = i + 1 };
            await _events.PublishAsync(Tenant, submitted.RunId, new RunEventEnvelope(evt.Seq, evt.Kind, JsonSerializer.Serialize(evt)));
        }

        var result = await _processor.ProcessAsync(delivery with { DeliveryCount = 2 }, TestContext.Current.CancellationToken);

        Assert.Equal(RunStatus.Completed, result!.Status);
        Assert.Equal("RECORDED", result.Outputs["writer"]);
        var steps = (await _store.ReadRecordsAsync(Tenant, submitted.RunId)).Where(r => r.Kind == LedgerRecordKinds.Step).Select(r => r.StepId);
        Assert.Equal(["writer:1", "critic:1"], steps);
        var events = await EventsAsync(submitted.RunId);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Single(events, e => e.GetProperty("kind").GetString() == "run_start");
        Assert.Single(events, e => e.GetProperty("kind").GetString() == "step_end" && e.GetProperty("step_id").GetString() == "writer:1");
        Assert.Single(events, e => e.GetProperty("kind").GetString() == "step_start" && e.GetProperty("step_id").GetString() == "critic:1");
        Assert.True((await _ledger.VerifyAsync(Tenant, submitted.RunId)).Valid);
    }

    // A processor whose ledger writes to the same store through a FaultyLedgerStore.
    private (RunProcessor Processor, FaultyLedgerStore Faults) ProcessorOnFaultyLedger()
    {
        var (faulty, faults) = FaultyLedgerStore.Wrap(_store);
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions
        {
            Ledger = new AuditLedger(faulty, _ledger.Signer), GovernanceStore = (IGovernanceStore)_store,
        });
        return (new RunProcessor(engine, _queue, _events, _signals, new RunProcessorOptions { MaxDeliveries = 3, Consumer = "test" }), faults);
    }

    [Fact]
    public async Task A_run_whose_final_commit_fails_is_not_announced_as_ended_and_a_later_delivery_completes_it()
    {
        var (processor, faults) = ProcessorOnFaultyLedger();
        var submitted = await SubmitAsync();
        var delivery = await TakeAsync();
        faults.FailAppend = record => record.Kind == LedgerRecordKinds.RunEnd;

        await Assert.ThrowsAsync<InvalidOperationException>(() => processor.ProcessAsync(delivery, TestContext.Current.CancellationToken));

        // The outcome is not in the ledger: readers must not be told the run ended (the entry is still pending).
        Assert.DoesNotContain(await EventsAsync(submitted.RunId), e => e.GetProperty("kind").GetString() is "run_end" or "error");
        Assert.True(await _queue.HoldsAsync(Tenant, submitted.RunId));

        faults.FailAppend = _ => false;
        var result = await processor.ProcessAsync(delivery with { DeliveryCount = 2 }, TestContext.Current.CancellationToken);

        Assert.Equal(RunStatus.Completed, result!.Status);
        var events = await EventsAsync(submitted.RunId);
        var end = Assert.Single(events, e => e.GetProperty("kind").GetString() == "run_end");
        Assert.Equal("completed", end.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.True((await _ledger.VerifyAsync(Tenant, submitted.RunId)).Valid);
    }

    [Fact]
    public async Task A_run_whose_end_is_committed_but_whose_head_is_not_signed_is_announced_as_ended_and_signed_by_the_next_delivery()
    {
        var (processor, faults) = ProcessorOnFaultyLedger();
        var submitted = await SubmitAsync();
        var delivery = await TakeAsync();
        faults.FailSaveHead = true;

        // run_end is committed, its head's signature is not: the delivery stays pending, but the run did end.
        await Assert.ThrowsAsync<InvalidOperationException>(() => processor.ProcessAsync(delivery, TestContext.Current.CancellationToken));

        var summary = await _store.ReadRunAsync(Tenant, submitted.RunId);
        Assert.True(summary!.HasEnded);
        Assert.Equal("completed", summary.Status);

        // Its readers are told what the ledger holds: completed, without an error.
        var events = await EventsAsync(submitted.RunId);
        var end = events[^1];
        Assert.Equal("run_end", end.GetProperty("kind").GetString());
        Assert.Equal("completed", end.GetProperty("data").GetProperty("status").GetString());
        Assert.DoesNotContain(events, e => e.GetProperty("kind").GetString() == "error");
        Assert.Equal(LedgerVerificationReasons.MissingHeadSignature, (await _ledger.VerifyAsync(Tenant, submitted.RunId)).Reason);

        // The next delivery finds the run ended and signs the head the first one could not.
        faults.FailSaveHead = false;
        Assert.Null(await processor.ProcessAsync(delivery with { DeliveryCount = 2 }, TestContext.Current.CancellationToken));

        Assert.True((await _ledger.VerifyAsync(Tenant, submitted.RunId)).Valid);
        Assert.False(await _queue.HoldsAsync(Tenant, submitted.RunId));
    }

    [Fact]
    public async Task The_same_idempotency_key_answers_the_same_run_and_a_different_request_with_it_is_a_conflict()
    {
        var first = await SubmitAsync(key: "order-17");
        var retry = await SubmitAsync(key: "order-17");

        Assert.Equal((first.RunId, true, false), (retry.RunId, first.Created, retry.Created));
        await TakeAsync();
        Assert.Empty(await _queue.ReadAsync("test", 1, TimeSpan.Zero, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<IdempotencyConflictException>(() => SubmitAsync(input: "another", key: "order-17"));
        Assert.NotEqual(first.RunId, (await SubmitAsync(key: "order-18")).RunId);
    }

    [Fact]
    public async Task A_queued_definition_that_no_longer_loads_fails_the_run_with_the_reason_and_is_acknowledged()
    {
        var submitted = await SubmitAsync();
        var delivery = await TakeAsync();
        var broken = delivery with { Request = delivery.Request with { Definition = "name: x\nnodes: [" } };

        Assert.Null(await _processor.ProcessAsync(broken, TestContext.Current.CancellationToken));

        var end = LedgerPayloads.ReadRunEnd((await _store.ReadLastRecordAsync(Tenant, submitted.RunId))!.Payload);
        Assert.Equal(("failed", RunErrorCodes.InvalidWorkflow), (end.Status, end.Error!.Code));
        Assert.False(await _queue.HoldsAsync(Tenant, submitted.RunId));
    }

    [Fact]
    public async Task The_worker_loop_executes_queued_runs_concurrently_until_stopped()
    {
        var runs = new List<SubmittedRun>();
        for (var i = 0; i < 20; i++)
        {
            runs.Add(await SubmitAsync(input: "NDA " + i));
        }

        using var stop = new CancellationTokenSource();
        var loop = _processor.RunAsync(stop.Token);
        foreach (var run in runs)
        {
            await foreach (var evt in _events.ReadAsync(Tenant, run.RunId, 0, follow: true, TestContext.Current.CancellationToken)
                .WithCancellation(TestContext.Current.CancellationToken))
            {
                _ = evt;
            }
        }

        await stop.CancelAsync();
        await loop.WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        foreach (var run in runs)
        {
            Assert.Equal("completed", (await _store.ReadRunAsync(Tenant, run.RunId))!.Status);
        }
    }
}
