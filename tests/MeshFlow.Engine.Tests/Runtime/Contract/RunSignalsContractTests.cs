using MeshFlow.Runtime;

namespace MeshFlow.Tests.Runtime.Contract;

/// <summary>
/// What every <see cref="IRunSignals"/> must do, run against each implementation by subclassing. Depends only on
/// the engine library and xunit, so other test projects can link this folder's files.
/// </summary>
public abstract class RunSignalsContractTests : IAsyncLifetime
{
    protected const string Tenant = "acme";
    protected const string OtherTenant = "globex";

    /// <summary>The longest any single wait in these tests may take (scaled by MESHFLOW_TEST_TIMEOUT_SCALE).</summary>
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(
        60 * (int.TryParse(Environment.GetEnvironmentVariable("MESHFLOW_TEST_TIMEOUT_SCALE"), out var scale) && scale > 0 ? scale : 1));

    /// <summary>The signals a worker listens to: fresh for each test.</summary>
    protected IRunSignals Worker { get; private set; } = null!;

    /// <summary>The signals the API requests cancellation on: another process's handle on the same signals.</summary>
    protected IRunSignals Api { get; private set; } = null!;

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Creates fresh signals of their own.</summary>
    protected abstract Task<IRunSignals> CreateSignalsAsync();

    /// <summary>Another process's handle on the signals under test (the same object where there is only one process).</summary>
    protected abstract Task<IRunSignals> ConnectAnotherAsync();

    public virtual async ValueTask InitializeAsync()
    {
        Worker = await CreateSignalsAsync().WaitAsync(Timeout);
        Api = await ConnectAnotherAsync().WaitAsync(Timeout);
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected static string NewRun() => "run-" + Guid.NewGuid().ToString("N");

    private static TaskCompletionSource NewCall() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task Subscriber_is_called_when_cancellation_is_requested()
    {
        var run = NewRun();
        var called = NewCall();
        await using var subscription = await Worker.SubscribeAsync(Tenant, run, () => called.TrySetResult(), Token);
        Assert.False(called.Task.IsCompleted);

        await Api.RequestCancelAsync(Tenant, run, Token);

        await called.Task.WaitAsync(Timeout);
        Assert.True(await Worker.IsCancelRequestedAsync(Tenant, run, Token));
    }

    [Fact]
    public async Task Subscriber_is_called_at_once_when_cancellation_was_requested_before()
    {
        var run = NewRun();
        await Api.RequestCancelAsync(Tenant, run, Token);
        var calls = 0;

        await using var subscription = await Worker.SubscribeAsync(Tenant, run, () => Interlocked.Increment(ref calls), Token);

        Assert.Equal(1, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task Cancellation_is_recorded_until_cleared()
    {
        var run = NewRun();
        Assert.False(await Worker.IsCancelRequestedAsync(Tenant, run, Token));

        await Api.RequestCancelAsync(Tenant, run, Token);
        Assert.True(await Worker.IsCancelRequestedAsync(Tenant, run, Token));
        Assert.True(await Api.IsCancelRequestedAsync(Tenant, run, Token));

        await Worker.ClearAsync(Tenant, run, Token);
        Assert.False(await Worker.IsCancelRequestedAsync(Tenant, run, Token));
        Assert.False(await Api.IsCancelRequestedAsync(Tenant, run, Token));

        // Clearing what is not there is harmless.
        await Worker.ClearAsync(Tenant, run, Token);
    }

    [Fact]
    public async Task Cancelling_one_run_leaves_other_runs_alone()
    {
        var run = NewRun();
        var other = NewRun();
        var calledRun = NewCall();
        var calledOther = NewCall();
        var calledOtherTenant = NewCall();
        await using var a = await Worker.SubscribeAsync(Tenant, run, () => calledRun.TrySetResult(), Token);
        await using var b = await Worker.SubscribeAsync(Tenant, other, () => calledOther.TrySetResult(), Token);
        await using var c = await Worker.SubscribeAsync(OtherTenant, run, () => calledOtherTenant.TrySetResult(), Token);

        await Api.RequestCancelAsync(Tenant, run, Token);
        await calledRun.Task.WaitAsync(Timeout);

        Assert.False(calledOther.Task.IsCompleted);
        Assert.False(calledOtherTenant.Task.IsCompleted);
        Assert.False(await Worker.IsCancelRequestedAsync(Tenant, other, Token));
        Assert.False(await Worker.IsCancelRequestedAsync(OtherTenant, run, Token));

        // The other subscriptions were live all along: their own requests reach them.
        await Api.RequestCancelAsync(Tenant, other, Token);
        await calledOther.Task.WaitAsync(Timeout);
        Assert.False(calledOtherTenant.Task.IsCompleted);
    }

    [Fact]
    public async Task Disposed_subscription_is_not_called()
    {
        var run = NewRun();
        var disposedCalls = 0;
        var called = NewCall();
        var disposed = await Worker.SubscribeAsync(Tenant, run, () => Interlocked.Increment(ref disposedCalls), Token);
        await using var live = await Worker.SubscribeAsync(Tenant, run, () => called.TrySetResult(), Token);
        await disposed.DisposeAsync();

        await Api.RequestCancelAsync(Tenant, run, Token);
        await called.Task.WaitAsync(Timeout);

        Assert.Equal(0, Volatile.Read(ref disposedCalls));
    }
}
