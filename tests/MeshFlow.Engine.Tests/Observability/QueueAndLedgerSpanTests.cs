using System.Diagnostics;
using MeshFlow.Declarative;
using MeshFlow.Execution;
using MeshFlow.Ledger;
using MeshFlow.Observability;
using MeshFlow.Runs;
using MeshFlow.Runtime;
using MeshFlow.Runtime.InProcess;
using MeshFlow.Tests.Support;

namespace MeshFlow.Tests.Observability;

/// <summary>One trace from the API's submission through the queue to the worker's steps and ledger commits.</summary>
public sealed class QueueAndLedgerSpanTests : IAsyncLifetime
{
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

    private readonly InProcessRunQueue _queue = new();
    private TestLedger _test = null!;

    public async ValueTask InitializeAsync() => _test = await TestLedger.OpenSqliteAsync();

    public ValueTask DisposeAsync() => _test.DisposeAsync();

    [Fact]
    public async Task A_worker_processing_a_submitted_run_continues_the_submitters_trace()
    {
        using var spans = new SpanCollector();
        var submitted = await new RunSubmitter(_test.Ledger, _queue).SubmitAsync(new RunSubmission
        {
            TenantId = "acme", Workflow = WorkflowYaml.Load(Review), Definition = Review, Input = "NDA",
        }, TestContext.Current.CancellationToken);

        var result = await ProcessOnWorkerAsync();

        Assert.Equal(RunStatus.Completed, result!.Status);
        var enqueue = Assert.Single(spans.Named(ActivityNames.Enqueue));
        var process = Assert.Single(spans.Named(ActivityNames.Process));
        Assert.Equal((ActivityKind.Producer, ActivityKind.Consumer), (enqueue.Kind, process.Kind));
        Assert.Equal(enqueue.SpanId, process.ParentSpanId);
        Assert.Equal(spans.TraceId, process.TraceId);

        Assert.Equal(("meshflow", MessagingTags.Send, "runs"),
            (enqueue.GetTagItem(MessagingTags.System), enqueue.GetTagItem(MessagingTags.OperationType), enqueue.GetTagItem(MessagingTags.DestinationName)));
        Assert.Equal(("meshflow", MessagingTags.Process, "runs"),
            (process.GetTagItem(MessagingTags.System), process.GetTagItem(MessagingTags.OperationType), process.GetTagItem(MessagingTags.DestinationName)));
        Assert.NotNull(enqueue.GetTagItem(MessagingTags.MessageId));
        Assert.Equal(enqueue.GetTagItem(MessagingTags.MessageId), process.GetTagItem(MessagingTags.MessageId));

        // The worker's run, steps and model calls are all in the submitter's trace.
        Assert.Single(spans.Named(ActivityNames.Run));
        Assert.Equal(2, spans.Named(ActivityNames.Step).Count);
        Assert.Single(spans.Named("chat offline"));
        Assert.Single(spans.Named("chat scripted"));
        Assert.All(spans.Named(ActivityNames.Run), run => Assert.Equal(submitted.RunId, run.GetTagItem(TagNames.RunId)));
    }

    [Fact]
    public async Task Each_ledger_commit_is_a_span_naming_run_kind_and_sequence_but_not_the_payload()
    {
        using var spans = new SpanCollector();
        await new RunSubmitter(_test.Ledger, _queue).SubmitAsync(new RunSubmission
        {
            TenantId = "acme", Workflow = WorkflowYaml.Load(Review), Definition = Review, Input = "Confidential merger memo",
        }, TestContext.Current.CancellationToken);
        await ProcessOnWorkerAsync();

        var appends = spans.Named(ActivityNames.LedgerAppend);
        var kinds = appends.Select(a => (string)a.GetTagItem(TagNames.LedgerRecordKind)!).ToList();
        Assert.Equal([LedgerRecordKinds.RunStart, LedgerRecordKinds.Step, LedgerRecordKinds.Step, LedgerRecordKinds.RunEnd],
            kinds.Where(k => k is LedgerRecordKinds.RunStart or LedgerRecordKinds.Step or LedgerRecordKinds.RunEnd));
        var seqs = appends.Where(a => a.GetTagItem(TagNames.LedgerSeq) is not null).Select(a => (long)a.GetTagItem(TagNames.LedgerSeq)!).Order().ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        Assert.All(appends.Where(a => a.GetTagItem(TagNames.LedgerSeq) is not null), a => Assert.Equal(1, a.GetTagItem(TagNames.LedgerRecordCount)));
        Assert.DoesNotContain("merger", spans.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_start_of_the_same_run_is_traced_but_commits_nothing()
    {
        using var spans = new SpanCollector();
        var payload = new RunStartPayload { Workflow = "review", WorkflowDigest = "d", Input = "x", Policy = new MeshFlow.Governance.Policy() };

        Assert.NotNull(await _test.Ledger.TryStartRunAsync("acme", "run_twice", payload, TestContext.Current.CancellationToken));
        Assert.Null(await _test.Ledger.TryStartRunAsync("acme", "run_twice", payload, TestContext.Current.CancellationToken));

        var appends = spans.Named(ActivityNames.LedgerAppend);
        Assert.Equal(2, appends.Count);
        Assert.Equal([1L], appends.Select(a => a.GetTagItem(TagNames.LedgerSeq)).OfType<long>());
    }

    // The worker has no ambient trace of its own: only the context carried in the queued request joins it to the API's.
    private async Task<RunResult?> ProcessOnWorkerAsync()
    {
        var runs = await _queue.ReadAsync("worker", 1, TestTimeouts.Default, TestContext.Current.CancellationToken);
        var delivery = Assert.Single(runs);
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = _test.Ledger });
        var processor = new RunProcessor(engine, _queue, new InProcessRunEventBus(), new InProcessRunSignals(),
            new RunProcessorOptions { MaxDeliveries = 3, Consumer = "worker" });
        var api = Activity.Current;
        Activity.Current = null;
        try
        {
            return await processor.ProcessAsync(delivery, TestContext.Current.CancellationToken);
        }
        finally
        {
            Activity.Current = api;
        }
    }
}
