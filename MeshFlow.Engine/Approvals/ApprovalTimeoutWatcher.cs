using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshFlow.Approvals;

/// <summary>
/// Resolves pauses nobody decided by their deadline, per their <c>on_timeout</c>: reject, approve, or escalate once
/// (then reject at the second expiry). One watcher acts at a time across all processes, under a lease in the store;
/// a watcher that dies stops renewing it and another takes over.
/// </summary>
/// <remarks>Two watchers acting at once would still decide each pause once (the decision is exactly once); the lease only
/// keeps them from doing the same work.</remarks>
public sealed partial class ApprovalTimeoutWatcher(ApprovalDesk desk, string holder, ILogger<ApprovalTimeoutWatcher>? logger = null)
{
    /// <summary>The lease's name in the store.</summary>
    public const string LeaseName = "hitl-timeouts";

    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>How long the lease lasts without renewal (default 30 seconds).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often expired pauses are looked for (default 5 seconds).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most pauses resolved per pass.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>One pass: takes (or renews) the lease, then resolves what has expired. Answers how many pauses it resolved.</summary>
    public async Task<int> ResolveExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = desk.TimeProvider.GetUtcNow();
        if (!await desk.Store.TryAcquireLeaseAsync(LeaseName, holder, now, LeaseDuration, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var resolved = 0;
        foreach (var pause in await desk.Store.ListExpiredAsync(now, BatchSize, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (await ResolveAsync(pause, cancellationToken).ConfigureAwait(false))
                {
                    resolved++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One pause that cannot be resolved now (its run erased, the database briefly away) does not hold up the rest.
                LogResolveFailed(ex, pause.RunId);
            }
        }

        return resolved;
    }

    /// <summary>Passes until <paramref name="stoppingToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ResolveExpiredAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPassFailed(ex);
            }

            try
            {
                await Task.Delay(Interval, desk.TimeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<bool> ResolveAsync(ApprovalPause pause, CancellationToken cancellationToken)
    {
        if (pause.OnTimeout == HitlTimeoutAction.Escalate && !pause.Escalated && pause.EscalateTo is not null)
        {
            return await desk.EscalateAsync(pause, cancellationToken).ConfigureAwait(false);
        }

        var approve = pause.OnTimeout == HitlTimeoutAction.Approve;
        var notes = string.Create(CultureInfo.InvariantCulture,
            $"nobody decided by the deadline ({pause.ExpiresAt:O}{(pause.Escalated ? ", after an escalation" : string.Empty)}); on_timeout: {(approve ? "approve" : pause.OnTimeout == HitlTimeoutAction.Escalate ? "escalate, then reject" : "reject")}");
        var outcome = await desk.DecideAsync(pause.TenantId, pause.RunId, approve ? ApprovalState.Approved : ApprovalState.Rejected,
            ApprovalDesk.TimeoutReviewer, notes, pause.PauseSeq, cancellationToken: cancellationToken).ConfigureAwait(false);
        return outcome.Kind == ApprovalOutcomeKind.Decided;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The expired pause of run {RunId} could not be resolved; it is retried at the next pass")]
    private partial void LogResolveFailed(Exception exception, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for expired approvals failed; retrying at the next pass")]
    private partial void LogPassFailed(Exception exception);
}
