using System.Diagnostics;
using MeshFlow.Declarative;
using MeshFlow.Execution;
using MeshFlow.Ledger;
using MeshFlow.Observability;
using MeshFlow.Runs;
using MeshFlow.Runtime;
using MeshFlow.Runtime.InProcess;
using MeshFlow.Tests.Support;

namespace MeshFlow.Tests.Runtime;

/// <summary>Recovery from a queue that lost its runs, and the trace that spans submitter and worker.</summary>
public sealed class RunReconcilerTests : IAsyncLifetime
{
    private const string Tenant = "acme";
    private const string Definition = "name: one\nnodes:\n  - id: a\n    model: offline\n";

    private TestLedger _test = null!;
    private ILedgerStore _store = null!;
    private AuditLedger _ledger = null!;

    public async ValueTask InitializeAsync()
    {
        _test = await TestLedger.OpenSqliteAsync();
        (_store, _ledger) = (_test.Store, _test.Ledger);
    }

    public ValueTask DisposeAsync() => _test.DisposeAsync();

    private Task<SubmittedRun> SubmitAsync(IRunQueue queue, string input = "x") =>
        new RunSubmitter(_ledger, queue).SubmitAsync(new RunSubmission
        {
            TenantId = Tenant, Workflow = WorkflowYaml.Load(Definition), Definition = Definition, Input = input,
        });

    [Fact]
    public async Task Runs_the_ledger_holds_as_unfinished_but_the_queue_lost_are_queued_again_and_then_complete()
    {
        var lost = await SubmitAsync(new InProcessRunQueue());
        var queue = new InProcessRunQueue();
        var held = await SubmitAsync(queue, "held");
        var reconciler = new RunReconciler(_ledger, queue) { Grace = TimeSpan.Zero };

        Assert.Equal(1, await reconciler.ReconcileAsync(TestContext.Current.CancellationToken));

        Assert.True(await queue.HoldsAsync(Tenant, lost.RunId));
        var runs = await queue.ReadAsync("w", 10, TimeSpan.Zero, TestContext.Current.CancellationToken);
        Assert.Equal([held.RunId, lost.RunId], runs.Select(r => r.Request.RunId));
        var requeued = runs[1].Request;
        Assert.Equal((Definition, "x"), (requeued.Definition, requeued.Input));

        var processor = new RunProcessor(new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = _ledger }), queue, new InProcessRunEventBus(), new InProcessRunSignals());
        Assert.Equal(RunStatus.Completed, (await processor.ProcessAsync(runs[1], TestContext.Current.CancellationToken))!.Status);

        // Completed, and still held: nothing left to queue again.
        Assert.Equal(0, await reconciler.ReconcileAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Runs_recorded_within_the_grace_period_are_left_for_the_submitter_to_queue()
    {
        await SubmitAsync(new InProcessRunQueue());
        var reconciler = new RunReconciler(_ledger, new InProcessRunQueue()) { Grace = TimeSpan.FromHours(1) };

        Assert.Equal(0, await reconciler.ReconcileAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_trace_context_travels_in_the_queued_request_so_the_worker_span_joins_the_callers_trace()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MeshFlowTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        var queue = new InProcessRunQueue();

        ActivityTraceId callerTrace;
        using (var caller = new Activity("http.request").Start())
        {
            callerTrace = caller.TraceId;
            await SubmitAsync(queue);
        }

        var delivery = Assert.Single(await queue.ReadAsync("w", 1, TimeSpan.Zero, TestContext.Current.CancellationToken));
        Assert.NotNull(delivery.Request.TraceParent);
        var processor = new RunProcessor(new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = _ledger }), queue, new InProcessRunEventBus(), new InProcessRunSignals());
        await processor.ProcessAsync(delivery, TestContext.Current.CancellationToken);

        List<Activity> recorded;
        lock (spans)
        {
            recorded = [.. spans];
        }

        // The listener hears every test running in parallel: this test's enqueue is the one in the caller's trace.
        var enqueue = Assert.Single(recorded, s => s.OperationName == ActivityNames.Enqueue && s.TraceId == callerTrace);
        var process = Assert.Single(recorded, s => s.OperationName == ActivityNames.Process && s.GetTagItem(TagNames.RunId) as string == delivery.Request.RunId);
        var run = Assert.Single(recorded, s => s.OperationName == ActivityNames.Run && s.GetTagItem(TagNames.RunId) as string == delivery.Request.RunId);
        Assert.Equal(enqueue.TraceId, process.TraceId);
        Assert.Equal(enqueue.SpanId, process.ParentSpanId);
        Assert.Equal(process.SpanId, run.ParentSpanId);
        Assert.Contains(recorded, s => s.OperationName == ActivityNames.Step && s.TraceId == enqueue.TraceId);
    }
}
