using System.Globalization;
using MeshFlow.Events;
using MeshFlow.Runtime;

namespace MeshFlow.Tests.Runtime.Contract;

/// <summary>
/// What every <see cref="IRunEventBus"/> must do, run against each implementation by subclassing. Depends only on
/// the engine library and xunit, so other test projects can link this folder's files.
/// </summary>
public abstract class RunEventBusContractTests : IAsyncLifetime
{
    protected const string Tenant = "acme";
    protected const string OtherTenant = "globex";

    /// <summary>The longest any single wait in these tests may take (scaled by MESHFLOW_TEST_TIMEOUT_SCALE).</summary>
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(
        60 * (int.TryParse(Environment.GetEnvironmentVariable("MESHFLOW_TEST_TIMEOUT_SCALE"), out var scale) && scale > 0 ? scale : 1));

    /// <summary>The bus readers use (an API instance): fresh for each test.</summary>
    protected IRunEventBus Bus { get; private set; } = null!;

    /// <summary>The bus events are published on (a worker): another process's handle on the same bus.</summary>
    protected IRunEventBus Publisher { get; private set; } = null!;

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Creates a fresh bus of its own.</summary>
    protected abstract Task<IRunEventBus> CreateBusAsync();

    /// <summary>Another process's handle on the bus under test (the same object where there is only one process).</summary>
    protected abstract Task<IRunEventBus> ConnectAnotherAsync();

    public virtual async ValueTask InitializeAsync()
    {
        Bus = await CreateBusAsync().WaitAsync(Timeout);
        Publisher = await ConnectAnotherAsync().WaitAsync(Timeout);
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected static string NewRun() => "run-" + Guid.NewGuid().ToString("N");

    protected static RunEventEnvelope Delta(long seq, string text = "tok") => new(
        seq, MeshEventKinds.TokenDelta,
        string.Create(CultureInfo.InvariantCulture, $$$"""{"seq":{{{seq}}},"kind":"token_delta","data":{"text":"{{{text}}}"}}"""));

    protected static RunEventEnvelope StepEnd(long seq) => new(
        seq, MeshEventKinds.StepEnd, string.Create(CultureInfo.InvariantCulture, $$$"""{"seq":{{{seq}}},"kind":"step_end","data":{"output":"done"}}"""));

    protected static RunEventEnvelope RunEnd(long seq) => new(
        seq, MeshEventKinds.RunEnd, string.Create(CultureInfo.InvariantCulture, $$$"""{"seq":{{{seq}}},"kind":"run_end","data":{"status":"completed"}}"""));

    protected async Task PublishAsync(string run, IEnumerable<RunEventEnvelope> events, string tenant = Tenant)
    {
        foreach (var evt in events)
        {
            await Publisher.PublishAsync(tenant, run, evt, Token);
        }
    }

    protected static IEnumerable<RunEventEnvelope> Deltas(long from, long to)
    {
        for (var seq = from; seq <= to; seq++)
        {
            yield return Delta(seq);
        }
    }

    protected async Task<List<RunEventEnvelope>> ReadAllAsync(string run, long afterSeq, bool follow = true, string tenant = Tenant)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(Timeout);
        var events = new List<RunEventEnvelope>();
        await foreach (var evt in Bus.ReadAsync(tenant, run, afterSeq, follow, timeout.Token))
        {
            events.Add(evt);
        }

        return events;
    }

    protected static void AssertSequence(IEnumerable<RunEventEnvelope> events, long from, long to) =>
        Assert.Equal(Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => (long)i), events.Select(e => e.Seq));

    [Fact]
    public async Task Reader_from_zero_gets_the_kept_then_the_live_events_once_in_order_and_stops_after_run_end()
    {
        var run = NewRun();
        await PublishAsync(run, [.. Deltas(1, 4), StepEnd(5)]);

        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(async () =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
            timeout.CancelAfter(Timeout);
            var events = new List<RunEventEnvelope>();
            await foreach (var evt in Bus.ReadAsync(Tenant, run, 0, cancellationToken: timeout.Token))
            {
                events.Add(evt);
                if (evt.Seq == 5)
                {
                    caughtUp.TrySetResult();
                }
            }

            return events;
        });

        await caughtUp.Task.WaitAsync(Timeout);
        await PublishAsync(run, [.. Deltas(6, 9), StepEnd(10), RunEnd(11)]);
        var events = await reading.WaitAsync(Timeout);

        AssertSequence(events, 1, 11);
        Assert.Equal(Delta(3), events[2]);
        Assert.Equal(StepEnd(10), events[9]);
        Assert.True(events[^1].IsTerminal);

        // Whatever is published after run_end is not part of the stream a reader sees.
        await Publisher.PublishAsync(Tenant, run, Delta(12), Token);
        AssertSequence(await ReadAllAsync(run, 0), 1, 11);
    }

    [Fact]
    public async Task Reader_resuming_after_a_sequence_number_gets_exactly_the_later_events()
    {
        var run = NewRun();
        await PublishAsync(run, Deltas(1, 5));

        var reading = ReadAllAsync(run, 3);
        await PublishAsync(run, [.. Deltas(6, 8), RunEnd(9)]);
        AssertSequence(await reading.WaitAsync(Timeout), 4, 9);

        // Once the run ended, resuming reads only what was kept.
        AssertSequence(await ReadAllAsync(run, 7), 8, 9);
        Assert.Empty(await ReadAllAsync(run, 9, follow: false));
    }

    [Fact]
    public async Task Twenty_concurrent_readers_each_get_all_of_1000_deltas_once_in_order()
    {
        const int Deltas = 1000;
        const int Readers = 20;
        var run = NewRun();
        var published = 0L;

        var publishing = Task.Run(async () =>
        {
            for (var seq = 1; seq <= Deltas; seq++)
            {
                await Publisher.PublishAsync(Tenant, run, Delta(seq, "t" + seq.ToString(CultureInfo.InvariantCulture)), Token);
                Interlocked.Exchange(ref published, seq);
                if (seq % 50 == 0)
                {
                    await Task.Yield();
                }
            }

            await Publisher.PublishAsync(Tenant, run, RunEnd(Deltas + 1), Token);
        });

        // Readers join at different points of the publishing: some before the first delta, most in the middle.
        var readers = Enumerable.Range(0, Readers).Select(i => Task.Run(async () =>
        {
            using var timeout = new CancellationTokenSource(Timeout);
            while (Interlocked.Read(ref published) < i * (Deltas / Readers) && !publishing.IsCompleted)
            {
                await Task.Delay(1, timeout.Token);
            }

            return await ReadAllAsync(run, 0);
        })).ToList();

        await publishing.WaitAsync(Timeout);
        foreach (var reader in readers)
        {
            var events = await reader.WaitAsync(Timeout);
            AssertSequence(events, 1, Deltas + 1);
            Assert.Equal(Delta(500, "t500"), events[499]);
        }
    }

    [Fact]
    public async Task Without_follow_only_the_kept_events_are_read()
    {
        var run = NewRun();
        Assert.Empty(await ReadAllAsync(run, 0, follow: false));

        // Ends with a step_end: a bus may pipeline token deltas, but once a step_end's publication returns, it and
        // everything before it are kept.
        await PublishAsync(run, [.. Deltas(1, 2), StepEnd(3)]);

        AssertSequence(await ReadAllAsync(run, 0, follow: false), 1, 3);
        AssertSequence(await ReadAllAsync(run, 1, follow: false), 2, 3);
        Assert.Empty(await ReadAllAsync(run, 3, follow: false));
    }

    [Fact]
    public async Task LastSeq_is_the_last_kept_sequence_number_or_zero()
    {
        var run = NewRun();
        Assert.Equal(0, await Bus.LastSeqAsync(Tenant, run, Token));

        await PublishAsync(run, [.. Deltas(1, 6), StepEnd(7)]);

        Assert.Equal(7, await Bus.LastSeqAsync(Tenant, run, Token));
        Assert.Equal(0, await Bus.LastSeqAsync(OtherTenant, run, Token));
    }

    [Fact]
    public async Task Events_of_another_tenants_run_with_the_same_id_are_not_seen()
    {
        var run = NewRun();
        await PublishAsync(run, [.. Deltas(1, 5), RunEnd(6)], OtherTenant);

        var reading = ReadAllAsync(run, 0);
        await PublishAsync(run, [Delta(1, "mine"), RunEnd(2)]);
        var events = await reading.WaitAsync(Timeout);

        Assert.Equal([Delta(1, "mine"), RunEnd(2)], events);
        Assert.Equal(6, await Bus.LastSeqAsync(OtherTenant, run, Token));
    }

    [Fact]
    public async Task Event_published_twice_is_read_once()
    {
        var run = NewRun();
        var reading = ReadAllAsync(run, 0);
        await PublishAsync(run, [Delta(1), Delta(2, "first"), Delta(2, "again"), Delta(1), StepEnd(3), RunEnd(4)]);

        var live = await reading.WaitAsync(Timeout);
        var kept = await ReadAllAsync(run, 0);

        foreach (var events in new[] { live, kept })
        {
            AssertSequence(events, 1, 4);
            Assert.Equal(Delta(2, "first"), events[1]);
        }
    }

    [Fact]
    public async Task Cancelling_a_follower_ends_its_read()
    {
        var run = NewRun();
        await PublishAsync(run, Deltas(1, 2));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var seen = new List<long>();
        var reading = Task.Run(async () =>
        {
            await foreach (var evt in Bus.ReadAsync(Tenant, run, 0, cancellationToken: cancel.Token))
            {
                seen.Add(evt.Seq);
                if (evt.Seq == 2)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(Timeout));
        Assert.Equal([1L, 2L], seen);
    }
}
