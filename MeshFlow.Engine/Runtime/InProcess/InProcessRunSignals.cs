using System.Collections.Concurrent;

namespace MeshFlow.Runtime.InProcess;

/// <summary>The embedded run signals: cancellation requests kept in this process.</summary>
public sealed class InProcessRunSignals : IRunSignals
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _signals = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task RequestCancelAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        try
        {
            _signals.GetOrAdd(RunKeys.Of(tenantId, runId), static _ => new CancellationTokenSource()).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run ended and was forgotten meanwhile: nothing is left to cancel.
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> IsCancelRequestedAsync(string tenantId, string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_signals.TryGetValue(RunKeys.Of(tenantId, runId), out var signal) && signal.IsCancellationRequested);

    /// <inheritdoc />
    public Task<IAsyncDisposable> SubscribeAsync(string tenantId, string runId, Action onCancel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onCancel);
        var registration = _signals.GetOrAdd(RunKeys.Of(tenantId, runId), static _ => new CancellationTokenSource()).Token.Register(onCancel);
        return Task.FromResult<IAsyncDisposable>(registration);
    }

    /// <inheritdoc />
    public Task ClearAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        if (_signals.TryRemove(RunKeys.Of(tenantId, runId), out var signal))
        {
            signal.Dispose();
        }

        return Task.CompletedTask;
    }
}
