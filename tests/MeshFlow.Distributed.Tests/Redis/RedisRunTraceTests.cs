using System.Diagnostics;
using MeshFlow.Declarative;
using MeshFlow.Distributed.Redis;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Execution;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;
using MeshFlow.Ledger.Sqlite;
using MeshFlow.Observability;
using MeshFlow.Runs;
using MeshFlow.Runtime;
using MeshFlow.Runtime.InProcess;
using MeshFlow.Testing.Redis;
using MeshFlow.Tests.Support;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>One trace from the API's submitter through a real Redis stream to a worker's run, on separate connections.</summary>
public sealed class RedisRunTraceTests(RedisFixture redis) : IAsyncLifetime
{
    private const string Review = """
        name: review
        nodes:
          - id: writer
            model: offline
            instructions: Draft the clause.
        """;

    private readonly RedisConnections _connections = new();
    private readonly RedisRunQueueOptions _options = RedisTestOptions.FastQueue();
    private readonly string _directory = Directory.CreateTempSubdirectory("meshflow-trace-").FullName;
    private readonly Ed25519LedgerSigner _signer = Ed25519LedgerSigner.Create();
    private SqliteLedgerStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        var store = SqliteLedgerStore.Open(Path.Combine(_directory, "ledger.db"));
        await store.MigrateAsync();
        _store = store;
    }

    public async ValueTask DisposeAsync()
    {
        await _connections.DisposeAsync();
        await _store.DisposeAsync();
        _signer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_worker_reading_the_redis_stream_continues_the_api_requests_trace()
    {
        using var spans = new SpanCollector();
        var ledger = new AuditLedger(_store, _signer);
        await using var apiQueue = new RedisRunQueue(await _connections.ConnectAsync(redis.ConnectionString), _options);
        await using var workerQueue = new RedisRunQueue(await _connections.ConnectAsync(redis.ConnectionString), _options);

        var submitted = await new RunSubmitter(ledger, apiQueue).SubmitAsync(new RunSubmission
        {
            TenantId = "acme", Workflow = WorkflowYaml.Load(Review), Definition = Review, Input = "NDA",
        }, TestContext.Current.CancellationToken);

        // The worker has no ambient trace: only the context carried in the stream entry can join it to the API's.
        var api = Activity.Current;
        Activity.Current = null;
        RunResult? result;
        try
        {
            var delivery = Assert.Single(await workerQueue.ReadAsync("worker-1", 1, TestTimeouts.Default, TestContext.Current.CancellationToken));
            var processor = new RunProcessor(new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger }), workerQueue,
                new InProcessRunEventBus(), new InProcessRunSignals(), new RunProcessorOptions { Consumer = "worker-1" });
            result = await processor.ProcessAsync(delivery, TestContext.Current.CancellationToken);
        }
        finally
        {
            Activity.Current = api;
        }

        Assert.Equal(RunStatus.Completed, result!.Status);
        var enqueue = Assert.Single(spans.Named(ActivityNames.Enqueue));
        var process = Assert.Single(spans.Named(ActivityNames.Process));
        Assert.Equal(enqueue.SpanId, process.ParentSpanId);
        Assert.Equal(("redis", _options.KeyPrefix + ":runs"), (enqueue.GetTagItem(MessagingTags.System), enqueue.GetTagItem(MessagingTags.DestinationName)));
        Assert.Equal(("redis", MessagingTags.Process), (process.GetTagItem(MessagingTags.System), process.GetTagItem(MessagingTags.OperationType)));
        // The stream entry's id names the message on both sides.
        Assert.Matches(@"^\d+-\d+$", (string)enqueue.GetTagItem(MessagingTags.MessageId)!);
        Assert.Equal(enqueue.GetTagItem(MessagingTags.MessageId), process.GetTagItem(MessagingTags.MessageId));
        var run = Assert.Single(spans.Named(ActivityNames.Run));
        Assert.Equal(submitted.RunId, run.GetTagItem(TagNames.RunId));
        Assert.Single(spans.Named("chat offline"));
    }
}
