using MeshFlow.Observability;
using MeshFlow.Observability.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshFlow.Approvals.Webhooks;

/// <summary>
/// Delivers the webhook outbox: claims due messages, sends them concurrently, and records each attempt with what
/// comes next (delivered, retried on <see cref="WebhookRetrySchedule"/>, or failed).
/// </summary>
/// <remarks>
/// <para>A message is given up (<see cref="WebhookMessageState.Failed"/>) when its deadline passed before it was
/// attempted or before the next retry would come (<see cref="WebhookOutcomes.Expired"/>), when its endpoint answered
/// 410 (the endpoint is then disabled for the tenant) or was disabled earlier (<see cref="WebhookOutcomes.Disabled"/>,
/// nothing sent). Every other failure is retried.</para>
/// <para>Several dispatchers (one per worker process) can run at once: a claim keeps a message to one of them, and one
/// that dies releases its claims when they lapse. A message may therefore arrive twice (a dispatcher died after
/// sending, before recording); receivers deduplicate on <c>webhook-id</c>.</para>
/// <para>Logs name a message, its run and its destination's host, never its body, a secret or the URL's path.</para>
/// </remarks>
public sealed partial class WebhookDispatcher
{
    private readonly IApprovalStore _store;
    private readonly IWebhookSender _sender;
    private readonly WebhookDispatcherOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMeshFlowMetrics? _metrics;

    /// <summary>Creates a dispatcher over the outbox in <paramref name="store"/>.</summary>
    public WebhookDispatcher(IApprovalStore store, IWebhookSender sender, WebhookDispatcherOptions? options = null,
        TimeProvider? timeProvider = null, ILogger<WebhookDispatcher>? logger = null, IMeshFlowMetrics? metrics = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _sender = sender ?? throw new ArgumentNullException(nameof(sender));
        _options = options ?? new WebhookDispatcherOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxConcurrentSends, 1, nameof(options));
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _metrics = metrics;
    }

    /// <summary>Dispatches passes until <paramref name="stoppingToken"/> fires, waiting <see cref="WebhookDispatcherOptions.PollInterval"/> after a pass that was not full.</summary>
    /// <remarks>A failed pass (the store unreachable) is logged and tried again after the interval. Stopping abandons
    /// attempts in flight; their claims lapse and another pass takes them.</remarks>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                handled = await DispatchDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPassFailed(ex);
            }

            // A full batch suggests more are due now: go again at once.
            if (handled >= _options.BatchSize)
            {
                continue;
            }

            try
            {
                await Task.Delay(_options.PollInterval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One pass: claims the due messages and attempts each once, at most <see cref="WebhookDispatcherOptions.MaxConcurrentSends"/> at a time.</summary>
    /// <returns>How many messages had an attempt (or a skip) recorded.</returns>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var claimed = await _store.ClaimDueWebhooksAsync(_time.GetUtcNow(), _options.BatchSize, _options.ClaimFor, cancellationToken)
            .ConfigureAwait(false);
        if (claimed.Count == 0)
        {
            return 0;
        }

        var handled = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentSends, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(claimed, parallel, async (message, token) =>
        {
            if (await DispatchAsync(message, token).ConfigureAwait(false))
            {
                Interlocked.Increment(ref handled);
            }
        }).ConfigureAwait(false);
        return handled;
    }

    private async Task<bool> DispatchAsync(WebhookMessage message, CancellationToken cancellationToken)
    {
        var attempt = message.Attempts + 1;
        try
        {
            var now = _time.GetUtcNow();
            if (now > message.Deadline)
            {
                await RecordAsync(Skipped(message, attempt, now, WebhookOutcomes.Expired, "the deadline passed before the message was attempted"),
                    WebhookMessageState.Failed, null, cancellationToken).ConfigureAwait(false);
                LogGivenUp(message.Id, message.RunId, Host(message.Url), WebhookOutcomes.Expired);
                return true;
            }

            // Checked after the claim, right before sending, so a 410 answered earlier in this pass already counts.
            if (await _store.IsWebhookEndpointDisabledAsync(message.TenantId, message.Url, cancellationToken).ConfigureAwait(false))
            {
                await RecordAsync(Skipped(message, attempt, now, WebhookOutcomes.Disabled, "the endpoint is disabled (it answered 410 Gone)"),
                    WebhookMessageState.Failed, null, cancellationToken).ConfigureAwait(false);
                LogGivenUp(message.Id, message.RunId, Host(message.Url), WebhookOutcomes.Disabled);
                return true;
            }

            var result = await SendAsync(message, attempt, cancellationToken).ConfigureAwait(false);
            await RecordOutcomeAsync(message, result, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDispatchFailed(ex, message.Id, message.RunId);
            return false;
        }
    }

    private async Task<WebhookSendResult> SendAsync(WebhookMessage message, int attempt, CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        using var activity = WebhookTelemetry.StartDeliver(message, attempt);
        try
        {
            var result = await _sender.SendAsync(message, attempt, cancellationToken).ConfigureAwait(false);
            WebhookTelemetry.Delivered(activity, result.Attempt);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A sender must not throw for a receiver's failure; if one does, the attempt still counts and is retried.
            LogSenderFailed(ex, message.Id, message.RunId);
            var failed = Skipped(message, attempt, at, WebhookOutcomes.NetworkError, $"the sender failed: {ex.GetType().Name}");
            WebhookTelemetry.Delivered(activity, failed);
            return new WebhookSendResult(failed, null);
        }
    }

    private async Task RecordOutcomeAsync(WebhookMessage message, WebhookSendResult result, CancellationToken cancellationToken)
    {
        var attempt = result.Attempt;
        var host = Host(message.Url);
        switch (attempt.Outcome)
        {
            case WebhookOutcomes.Delivered:
                await RecordAsync(attempt, WebhookMessageState.Delivered, null, cancellationToken).ConfigureAwait(false);
                LogDelivered(message.Id, message.RunId, host, attempt.Attempt);
                return;
            case WebhookOutcomes.Gone:
                await _store.DisableWebhookEndpointAsync(message.TenantId, message.Url, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                await RecordAsync(attempt, WebhookMessageState.Failed, null, cancellationToken).ConfigureAwait(false);
                LogEndpointDisabled(message.TenantId, host, message.Id);
                return;
        }

        var next = WebhookRetrySchedule.NextAttemptAt(attempt.Attempt, _time.GetUtcNow(), message.Deadline, result.RetryAfter);
        if (next is { } due)
        {
            await RecordAsync(attempt, WebhookMessageState.Pending, due, cancellationToken).ConfigureAwait(false);
            LogRetrying(message.Id, message.RunId, host, attempt.Attempt, attempt.Outcome, attempt.StatusCode, due);
            return;
        }

        // The failure that ended it stays in the error text; the outcome says why there is no next attempt.
        var error = $"{attempt.Outcome}{(attempt.Error is null ? "" : $" ({attempt.Error})")}; the next attempt would fall after the deadline";
        await RecordAsync(attempt with { Outcome = WebhookOutcomes.Expired, Error = error }, WebhookMessageState.Failed, null, cancellationToken)
            .ConfigureAwait(false);
        LogGivenUp(message.Id, message.RunId, host, WebhookOutcomes.Expired);
    }

    // Every attempt, and every skip that gives a message up, is recorded here once: the metric counts what was recorded.
    private async Task RecordAsync(WebhookAttempt attempt, string state, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken)
    {
        await _store.RecordWebhookAttemptAsync(attempt, state, nextAttemptAt, cancellationToken).ConfigureAwait(false);
        _metrics?.WebhookDelivery(state switch
        {
            WebhookMessageState.Delivered => WebhookDeliveryOutcomes.Delivered,
            WebhookMessageState.Pending => WebhookDeliveryOutcomes.Retried,
            _ => WebhookDeliveryOutcomes.Failed,
        });
    }

    private static WebhookAttempt Skipped(WebhookMessage message, int attempt, DateTimeOffset at, string outcome, string error) => new()
    {
        MessageId = message.Id, TenantId = message.TenantId, RunId = message.RunId, Attempt = attempt, At = at, Outcome = outcome, Error = error,
    };

    // The path and query of a webhook URL often carry a token (chat webhooks do): only the host is logged.
    private static string Host(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.IdnHost : "(not a URL)";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {MessageId} of run {RunId} was delivered to {Host} on attempt {Attempt}")]
    private partial void LogDelivered(string messageId, string runId, string host, int attempt);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Webhook {MessageId} of run {RunId} to {Host}: attempt {Attempt} ended {Outcome} (status {StatusCode}); next attempt at {NextAttemptAt:O}")]
    private partial void LogRetrying(string messageId, string runId, string host, int attempt, string outcome, int? statusCode, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {MessageId} of run {RunId} to {Host} was given up: {Outcome}")]
    private partial void LogGivenUp(string messageId, string runId, string host, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The webhook endpoint on {Host} answered 410 Gone to {MessageId}; it is disabled for tenant {TenantId}")]
    private partial void LogEndpointDisabled(string tenantId, string host, string messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The webhook sender failed on message {MessageId} of run {RunId}; the attempt counts as a network error")]
    private partial void LogSenderFailed(Exception exception, string messageId, string runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatching webhook {MessageId} of run {RunId} failed; it is attempted again when its claim lapses")]
    private partial void LogDispatchFailed(Exception exception, string messageId, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook dispatch pass failed; trying again after the poll interval")]
    private partial void LogPassFailed(Exception exception);
}
