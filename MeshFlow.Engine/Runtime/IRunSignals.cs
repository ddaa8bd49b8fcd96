namespace MeshFlow.Runtime;

/// <summary>Cancellation requests for runs, from the API to whichever worker executes the run (or will).</summary>
public interface IRunSignals
{
    /// <summary>Records that the run must be cancelled and tells the worker executing it.</summary>
    Task RequestCancelAsync(string tenantId, string runId, CancellationToken cancellationToken = default);

    /// <summary>Whether cancellation of the run was requested.</summary>
    Task<bool> IsCancelRequestedAsync(string tenantId, string runId, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="onCancel"/> when cancellation of the run is requested, until disposed.</summary>
    Task<IAsyncDisposable> SubscribeAsync(string tenantId, string runId, Action onCancel, CancellationToken cancellationToken = default);

    /// <summary>Forgets the run's signals once the run has ended.</summary>
    Task ClearAsync(string tenantId, string runId, CancellationToken cancellationToken = default);
}
