using MeshFlow.Api.Streaming;
using MeshFlow.Api.Tests.Support;
using MeshFlow.Events;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;
using MeshFlow.Ledger.Sqlite;
using MeshFlow.Runtime;
using MeshFlow.Runtime.InProcess;
using MeshFlow.Governance;

namespace MeshFlow.Api.Tests.Streaming;

public sealed class RunEventSourceTests : IAsyncLifetime
{
    private const string Tenant = "acme";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "meshflow-source-" + Guid.NewGuid().ToString("N"));
    private readonly Ed25519LedgerSigner _signer = Ed25519LedgerSigner.Create();
    private readonly InProcessRunEventBus _bus = new();
    private SqliteLedgerStore _store = null!;
    private AuditLedger _ledger = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = SqliteLedgerStore.Open(Path.Combine(_directory, "ledger.db"));
        await _store.MigrateAsync();
        _ledger = new AuditLedger(_store, _signer);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _signer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_run_committed_as_ended_whose_run_end_is_still_on_its_way_streams_until_run_end()
    {
        // The worker commits run_end to the ledger, then publishes it: a stream opened in between must wait for it.
        var runId = await EndedRunAsync();
        await _bus.PublishAsync(Tenant, runId, Envelope(1, MeshEventKinds.RunStart));
        var source = new RunEventSource(_bus, _store);

        var reading = ReadAllAsync(source, runId);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(reading.IsCompleted, "the stream ended before the run's run_end was published");

        await _bus.PublishAsync(Tenant, runId, Envelope(2, MeshEventKinds.RunEnd));
        var events = await reading.WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        Assert.Equal([MeshEventKinds.RunStart, MeshEventKinds.RunEnd], events.Select(e => e.Kind));
        Assert.Equal([1L, 2L], events.Select(e => e.Seq));
    }

    [Fact]
    public async Task An_ended_run_whose_events_are_all_kept_is_told_and_closed_at_once()
    {
        var runId = await EndedRunAsync();
        await _bus.PublishAsync(Tenant, runId, Envelope(1, MeshEventKinds.RunStart));
        await _bus.PublishAsync(Tenant, runId, Envelope(2, MeshEventKinds.RunEnd));

        var events = await ReadAllAsync(new RunEventSource(_bus, _store), runId).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        Assert.Equal([1L, 2L], events.Select(e => e.Seq));
    }

    [Fact]
    public async Task A_client_that_already_has_run_end_gets_an_empty_stream_that_closes()
    {
        var runId = await EndedRunAsync();
        await _bus.PublishAsync(Tenant, runId, Envelope(1, MeshEventKinds.RunStart));
        await _bus.PublishAsync(Tenant, runId, Envelope(2, MeshEventKinds.RunEnd));

        var events = await ReadAllAsync(new RunEventSource(_bus, _store), runId, afterSeq: 2)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        Assert.Empty(events);
    }

    [Fact]
    public async Task An_ended_run_whose_events_expired_is_told_from_the_ledger()
    {
        var runId = await EndedRunAsync();

        var events = await ReadAllAsync(new RunEventSource(_bus, _store), runId).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        Assert.Equal([MeshEventKinds.RunStart, MeshEventKinds.RunEnd], events.Select(e => e.Kind));
        Assert.Contains("\"status\":\"failed\"", events[^1].Json, StringComparison.Ordinal);
    }

    private async Task<string> EndedRunAsync()
    {
        var runId = RunSubmitter.NewRunId();
        var start = new RunStartPayload { Workflow = "w", WorkflowDigest = "d", Input = "go", Policy = Policy.ForMode("standard") };
        Assert.NotNull(await _ledger.TryStartRunAsync(Tenant, runId, start));
        Assert.True(await _ledger.EndRunAsync(Tenant, runId, new RunEndPayload { Status = "failed", Output = string.Empty }));
        return runId;
    }

    private static RunEventEnvelope Envelope(long seq, string kind) => new(seq, kind, $"{{\"type\":\"{kind}\",\"seq\":{seq}}}");

    private static async Task<List<RunEventEnvelope>> ReadAllAsync(RunEventSource source, string runId, long afterSeq = 0)
    {
        var events = new List<RunEventEnvelope>();
        await foreach (var item in source.ReadAsync(Tenant, runId, afterSeq, CancellationToken.None))
        {
            if (item.Event is { } evt)
            {
                events.Add(evt);
            }
        }

        return events;
    }
}
