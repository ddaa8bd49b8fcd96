using MeshFlow.Governance;
using MeshFlow.Runtime;

namespace MeshFlow.Tests.Runtime.Contract;

/// <summary>
/// What every <see cref="IRunQueue"/> must do, run against each implementation by subclassing. Depends only on the
/// engine library and xunit, so other test projects can link this folder's files.
/// </summary>
public abstract class RunQueueContractTests : IAsyncLifetime
{
    protected const string Tenant = "acme";
    protected const string OtherTenant = "globex";

    /// <summary>The longest any single wait in these tests may take (scaled by MESHFLOW_TEST_TIMEOUT_SCALE).</summary>
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(
        60 * (int.TryParse(Environment.GetEnvironmentVariable("MESHFLOW_TEST_TIMEOUT_SCALE"), out var scale) && scale > 0 ? scale : 1));

    /// <summary>How long a read waits where nothing must arrive: long enough for a wrong delivery to show up.</summary>
    protected static readonly TimeSpan ShortWait = TimeSpan.FromMilliseconds(300);

    /// <summary>The queue under test: fresh and empty for each test.</summary>
    protected IRunQueue Queue { get; private set; } = null!;

    /// <summary>
    /// Whether the entries of a consumer that stopped (<see cref="StopAsync"/>) go to another consumer. Where not,
    /// the tests assert that they stay with the stopped consumer instead.
    /// </summary>
    protected virtual bool RedeliversAbandonedEntries => true;

    /// <summary>Whether a lease lapses once its holder stopped. Where not, the tests assert that it stays held.</summary>
    protected virtual bool LeasesLapse => true;

    /// <summary>How long a live consumer's entries and leases are watched: longer than they last without renewal.</summary>
    protected virtual TimeSpan RenewedPeriod => ShortWait;

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Creates a fresh, empty queue of its own.</summary>
    protected abstract Task<IRunQueue> CreateQueueAsync();

    /// <summary>Another process's handle on the queue under test (the same object where there is only one process).</summary>
    protected abstract Task<IRunQueue> ConnectAnotherAsync();

    /// <summary>Makes <paramref name="handle"/> behave like a dead worker: it stops renewing, releasing nothing.</summary>
    protected abstract ValueTask StopAsync(IRunQueue handle);

    /// <summary>The entries moved to the queue's dead-letter store, oldest first.</summary>
    protected abstract Task<IReadOnlyList<(RunRequest Request, string Reason)>> DeadLettersAsync();

    public virtual async ValueTask InitializeAsync() => Queue = await CreateQueueAsync().WaitAsync(Timeout);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected static RunRequest NewRequest(string tenant = Tenant, string? runId = null) => new()
    {
        TenantId = tenant,
        RunId = runId ?? "run-" + Guid.NewGuid().ToString("N"),
        Definition = "name: contract\nnodes: []\n",
        Input = "hello",
    };

    /// <summary>Reads until something is delivered to <paramref name="consumer"/>, within <see cref="Timeout"/>.</summary>
    protected static async Task<IReadOnlyList<QueuedRun>> ReadUntilAsync(IRunQueue queue, string consumer, int max = 10)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(Timeout);
        while (true)
        {
            var runs = await queue.ReadAsync(consumer, max, ShortWait, timeout.Token);
            if (runs.Count > 0)
            {
                return runs;
            }
        }
    }

    [Fact]
    public async Task Depth_counts_runs_waiting_for_a_worker_and_not_those_delivered()
    {
        Assert.Equal(0, await Queue.DepthAsync(Token));
        await Queue.EnqueueAsync(NewRequest(), Token);
        await Queue.EnqueueAsync(NewRequest(OtherTenant), Token);
        await Queue.EnqueueAsync(NewRequest(), Token);
        Assert.Equal(3, await Queue.DepthAsync(Token));

        var delivered = await Queue.ReadAsync("worker-1", 2, ShortWait, Token).WaitAsync(Timeout);
        Assert.Equal(2, delivered.Count);
        Assert.Equal(1, await Queue.DepthAsync(Token));

        await Queue.AcknowledgeAsync(delivered[0], Token);
        Assert.Equal(1, await Queue.DepthAsync(Token));
        var last = Assert.Single(await ReadUntilAsync(Queue, "worker-2"));
        await Queue.AcknowledgeAsync(last, Token);
        Assert.Equal(0, await Queue.DepthAsync(Token));
    }

    [Fact]
    public async Task Acknowledged_run_is_no_longer_held_and_never_delivered_again()
    {
        var request = NewRequest();
        Assert.False(await Queue.HoldsAsync(Tenant, request.RunId, Token));

        await Queue.EnqueueAsync(request, Token);
        Assert.True(await Queue.HoldsAsync(Tenant, request.RunId, Token));

        var run = Assert.Single(await ReadUntilAsync(Queue, "worker-1"));
        Assert.Equal(request, run.Request);
        Assert.Equal(1, run.DeliveryCount);
        Assert.True(await Queue.HoldsAsync(Tenant, request.RunId, Token), "a delivered run is held until acknowledged");

        await Queue.AcknowledgeAsync(run, Token);
        Assert.False(await Queue.HoldsAsync(Tenant, request.RunId, Token));

        // Acknowledging twice is harmless, and nobody gets the run again.
        await Queue.AcknowledgeAsync(run, Token);
        Assert.False(await Queue.HoldsAsync(Tenant, request.RunId, Token));
        Assert.Empty(await Queue.ReadAsync("worker-1", 10, ShortWait, Token).WaitAsync(Timeout));
        Assert.Empty(await Queue.ReadAsync("worker-2", 10, ShortWait, Token).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Queued_request_arrives_with_every_field()
    {
        var request = NewRequest() with
        {
            Definition = "name: full\nnodes:\n  - id: writer\n    agent: writer\n",
            Input = "Ünïcödé \"input\" 条款 🙂",
            Policy = Policy.ForMode(PolicyModes.Strict) with { MaxCostUsd = 1.25m },
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            TraceState = "congo=t61rcWkgMzE",
            QueuedAt = new DateTimeOffset(2026, 7, 1, 11, 22, 33, 444, TimeSpan.FromHours(2)),
        };

        await Queue.EnqueueAsync(request, Token);

        var run = Assert.Single(await ReadUntilAsync(Queue, "worker-1"));
        Assert.Equal(request, run.Request);
        await Queue.AcknowledgeAsync(run, Token);
    }

    [Fact]
    public async Task Runs_are_delivered_in_queue_order_at_most_max_at_a_time()
    {
        var requests = Enumerable.Range(0, 5).Select(_ => NewRequest()).ToList();
        foreach (var request in requests)
        {
            await Queue.EnqueueAsync(request, Token);
        }

        var first = await ReadUntilAsync(Queue, "worker-1", max: 2);
        Assert.Equal(2, first.Count);
        var rest = new List<QueuedRun>();
        while (rest.Count < 3)
        {
            rest.AddRange(await ReadUntilAsync(Queue, "worker-1", max: 10));
        }

        Assert.Equal(requests.Select(r => r.RunId), first.Concat(rest).Select(r => r.Request.RunId));
        Assert.Equal(5, first.Concat(rest).Select(r => r.DeliveryId).Distinct().Count());
        Assert.Empty(await Queue.ReadAsync("worker-1", 10, ShortWait, Token).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Run_queued_twice_is_held_until_both_entries_are_acknowledged()
    {
        var request = NewRequest();
        await Queue.EnqueueAsync(request, Token);
        await Queue.EnqueueAsync(request, Token);

        var runs = new List<QueuedRun>();
        while (runs.Count < 2)
        {
            runs.AddRange(await ReadUntilAsync(Queue, "worker-1"));
        }

        await Queue.AcknowledgeAsync(runs[0], Token);
        Assert.True(await Queue.HoldsAsync(Tenant, request.RunId, Token));
        await Queue.AcknowledgeAsync(runs[1], Token);
        Assert.False(await Queue.HoldsAsync(Tenant, request.RunId, Token));
    }

    [Fact]
    public async Task Unacknowledged_run_stays_with_its_live_consumer_and_goes_to_another_once_that_one_stops()
    {
        var request = NewRequest();
        var first = await ConnectAnotherAsync();
        var second = await ConnectAnotherAsync();
        await Queue.EnqueueAsync(request, Token);
        var delivered = Assert.Single(await ReadUntilAsync(first, "worker-1"));

        // Longer than an unrenewed entry stays with its consumer: the first consumer renews it, so nobody else gets it.
        Assert.Empty(await second.ReadAsync("worker-2", 10, RenewedPeriod, Token).WaitAsync(Timeout));
        Assert.True(await Queue.HoldsAsync(Tenant, request.RunId, Token));

        await StopAsync(first);

        if (RedeliversAbandonedEntries)
        {
            var redelivered = Assert.Single(await ReadUntilAsync(second, "worker-2"));
            Assert.Equal(delivered.DeliveryId, redelivered.DeliveryId);
            Assert.Equal(request, redelivered.Request);
            Assert.Equal(2, redelivered.DeliveryCount);
            await second.AcknowledgeAsync(redelivered, Token);
            Assert.False(await Queue.HoldsAsync(Tenant, request.RunId, Token));
        }
        else
        {
            // Documented: nothing is redelivered within the process; after a restart the reconciler queues it again.
            Assert.Empty(await second.ReadAsync("worker-2", 10, RenewedPeriod, Token).WaitAsync(Timeout));
            Assert.True(await Queue.HoldsAsync(Tenant, request.RunId, Token));
        }
    }

    [Fact]
    public async Task Dead_lettered_run_is_removed_and_recorded_with_its_reason()
    {
        var request = NewRequest();
        var kept = NewRequest();
        await Queue.EnqueueAsync(request, Token);
        var run = Assert.Single(await ReadUntilAsync(Queue, "worker-1"));

        await Queue.DeadLetterAsync(run, "workflow 'contract' is not registered", Token);

        Assert.False(await Queue.HoldsAsync(Tenant, request.RunId, Token));
        var (deadRequest, reason) = Assert.Single(await DeadLettersAsync(), dead => dead.Request.RunId == request.RunId);
        Assert.Equal(request, deadRequest);
        Assert.Equal("workflow 'contract' is not registered", reason);

        // The dead run is never delivered again; the queue goes on with the next one.
        await Queue.EnqueueAsync(kept, Token);
        var next = Assert.Single(await ReadUntilAsync(Queue, "worker-1"));
        Assert.Equal(kept.RunId, next.Request.RunId);
        await Queue.AcknowledgeAsync(next, Token);
    }

    [Fact]
    public async Task Read_of_an_empty_queue_answers_empty_after_its_wait()
    {
        var runs = await Queue.ReadAsync("worker-1", 10, ShortWait, Token).WaitAsync(Timeout);
        Assert.Empty(runs);
    }

    [Fact]
    public async Task Waiting_read_returns_once_a_run_is_queued()
    {
        var producer = await ConnectAnotherAsync();
        var request = NewRequest();

        // The wait is far longer than the test's timeout: only the enqueue can end it in time.
        var reading = Queue.ReadAsync("worker-1", 10, Timeout * 10, Token);
        await producer.EnqueueAsync(request, Token);

        var run = Assert.Single(await reading.WaitAsync(Timeout));
        Assert.Equal(request.RunId, run.Request.RunId);
        await Queue.AcknowledgeAsync(run, Token);
    }

    [Fact]
    public async Task Cancelled_read_stops_waiting()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var reading = Queue.ReadAsync("worker-1", 10, Timeout * 10, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Lease_is_exclusive_until_disposed()
    {
        var run = "run-" + Guid.NewGuid().ToString("N");
        var lease = await Queue.TryLeaseAsync(Tenant, run, "worker-1", Token);
        Assert.NotNull(lease);

        Assert.Null(await Queue.TryLeaseAsync(Tenant, run, "worker-2", Token));
        Assert.Null(await Queue.TryLeaseAsync(Tenant, run, "worker-1", Token));

        // Another run, or the same run id of another tenant, is leased apart.
        var otherTenants = await Queue.TryLeaseAsync(OtherTenant, run, "worker-2", Token);
        Assert.NotNull(otherTenants);
        await otherTenants.DisposeAsync();

        await lease.DisposeAsync();
        await lease.DisposeAsync();
        var next = await Queue.TryLeaseAsync(Tenant, run, "worker-2", Token);
        Assert.NotNull(next);
        await next.DisposeAsync();
    }

    [Fact]
    public async Task Lease_stays_held_while_renewed_and_lapses_only_when_its_holder_stops()
    {
        var run = "run-" + Guid.NewGuid().ToString("N");
        var holder = await ConnectAnotherAsync();
        var lease = await holder.TryLeaseAsync(Tenant, run, "worker-1", Token);
        Assert.NotNull(lease);

        // Longer than the lease lasts unrenewed.
        await Task.Delay(RenewedPeriod, Token);
        Assert.Null(await Queue.TryLeaseAsync(Tenant, run, "worker-2", Token));

        await StopAsync(holder);

        if (LeasesLapse)
        {
            IAsyncDisposable? taken = null;
            using var timeout = new CancellationTokenSource(Timeout);
            while (taken is null)
            {
                await Task.Delay(ShortWait, timeout.Token);
                taken = await Queue.TryLeaseAsync(Tenant, run, "worker-2", Token);
            }

            // The dead holder's late release leaves the new holder's lease alone.
            await lease.DisposeAsync();
            Assert.Null(await Queue.TryLeaseAsync(Tenant, run, "worker-3", Token));
            await taken.DisposeAsync();
        }
        else
        {
            // Documented: a lease lives in the process that holds it; it is held until disposed.
            await Task.Delay(RenewedPeriod, Token);
            Assert.Null(await Queue.TryLeaseAsync(Tenant, run, "worker-2", Token));
            await lease.DisposeAsync();
        }
    }

    [Fact]
    public async Task Another_tenants_run_with_the_same_id_is_held_apart()
    {
        var request = NewRequest();
        await Queue.EnqueueAsync(request, Token);

        Assert.True(await Queue.HoldsAsync(Tenant, request.RunId, Token));
        Assert.False(await Queue.HoldsAsync(OtherTenant, request.RunId, Token));

        var run = Assert.Single(await ReadUntilAsync(Queue, "worker-1"));
        await Queue.AcknowledgeAsync(run, Token);
    }
}
