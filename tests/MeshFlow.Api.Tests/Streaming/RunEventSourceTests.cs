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
    public async Task A_run_just_submitted_is_followed_on_the_bus_without_asking_the_ledger()
    {
        // A ledger that can no longer answer: reading a run from it throws.
        var closed = SqliteLedgerStore.Open(Path.Combine(_directory, "closed.db"));
        await closed.MigrateAsync();
        await closed.DisposeAsync();
        var source = new RunEventSource(_bus, closed);
        var runId = "run_" + Guid.NewGuid().ToString("N");
        await _bus.PublishAsync(Tenant, runId, Envelope(1, MeshEventKinds.RunStart));

        var events = new List<RunEventEnvelope>();
        var reading = Task.Run(async () =>
        {
            await foreach (var item in source.ReadSubmittedAsync(Tenant, runId, CancellationToken.None))
            {
                events.Add(item.Event!);
            }
        }, TestContext.Current.CancellationToken);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(reading.IsCompleted, "the stream of a run still going ended early");
        await _bus.PublishAsync(Tenant, runId, Envelope(2, MeshEventKinds.RunEnd));
        await reading.WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        Assert.Equal([1L, 2L], events.Select(e => e.Seq));
        await Assert.ThrowsAnyAsync<ObjectDisposedException>(() => ReadAllAsync(source, runId));
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

    [Fact]
    public async Task A_quiet_stream_sends_keep_alives_at_the_interval_and_then_the_events_that_come()
    {
        var runId = await StartedRunAsync();
        var source = new RunEventSource(_bus, _store) { KeepAliveInterval = TimeSpan.FromMilliseconds(100) };
        await using var items = source.ReadAsync(Tenant, runId, 0, TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(await NextAsync(items));
        Assert.Null(items.Current.Event);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(90), $"a keep-alive came after {clock.Elapsed.TotalMilliseconds} ms, before the interval");
        Assert.True(await NextAsync(items));
        Assert.Null(items.Current.Event);

        await _bus.PublishAsync(Tenant, runId, Envelope(1, MeshEventKinds.RunStart));
        Assert.True(await NextAsync(items));
        Assert.Equal(1, items.Current.Event?.Seq);
        await _bus.PublishAsync(Tenant, runId, Envelope(2, MeshEventKinds.RunEnd));
        Assert.True(await NextAsync(items));
        Assert.Equal(MeshEventKinds.RunEnd, items.Current.Event?.Kind);
        Assert.False(await NextAsync(items));
    }

    [Fact]
    public async Task A_run_the_ledger_ended_whose_run_end_never_reaches_the_bus_is_closed_from_the_ledger_after_two_quiet_intervals()
    {
        // Its worker committed run_end and died before publishing it.
        var runId = await StartedRunAsync();
        var source = new RunEventSource(_bus, _store) { KeepAliveInterval = TimeSpan.FromMilliseconds(50) };
        var reading = ReadItemsAsync(source, runId);
        await _bus.PublishAsync(Tenant, runId, Envelope(1, MeshEventKinds.RunStart));
        Assert.True(await _ledger.EndRunAsync(Tenant, runId, new RunEndPayload { Status = "completed", Output = "done" }));

        var items = await reading.WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        Assert.Equal(MeshEventKinds.RunStart, items[0].Event?.Kind);
        Assert.True(items.Count(item => item.Event is null) >= 2);
        var end = items[^1].Event;
        Assert.Equal((MeshEventKinds.RunEnd, 2L), (end?.Kind, end?.Seq));
        Assert.Contains("\"output\":\"done\"", end!.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_left_while_it_waits_stops_its_read_and_ends_cleanly()
    {
        var runId = await StartedRunAsync();
        var source = new RunEventSource(_bus, _store) { KeepAliveInterval = TimeSpan.FromMilliseconds(50) };
        var items = source.ReadAsync(Tenant, runId, 0, TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        Assert.True(await NextAsync(items));
        Assert.Null(items.Current.Event);

        // Left at a keep-alive, with the bus's read still pending.
        await items.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        using var cancelled = new CancellationTokenSource();
        var reading = ReadItemsAsync(source, runId, cancelled.Token);
        await Task.Delay(120, TestContext.Current.CancellationToken);
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken));
    }

    private static Task<bool> NextAsync(IAsyncEnumerator<StreamItem> items) =>
        items.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

    private async Task<string> StartedRunAsync()
    {
        var runId = RunSubmitter.NewRunId();
        var start = new RunStartPayload { Workflow = "w", WorkflowDigest = "d", Input = "go", Policy = Policy.ForMode("standard") };
        Assert.NotNull(await _ledger.TryStartRunAsync(Tenant, runId, start));
        return runId;
    }

    private static async Task<List<StreamItem>> ReadItemsAsync(RunEventSource source, string runId, CancellationToken cancellationToken = default)
    {
        var items = new List<StreamItem>();
        await foreach (var item in source.ReadAsync(Tenant, runId, 0, cancellationToken))
        {
            items.Add(item);
        }

        return items;
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
