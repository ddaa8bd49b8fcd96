using MeshFlow.Approvals.Webhooks;
using Microsoft.Extensions.Hosting;

namespace MeshFlow.Approvals;

/// <summary>
/// Runs a process's share of human approval in the background: the timeout watcher (one process at a time acts,
/// under its lease) and the webhook outbox's delivery (any number of processes, each claiming its own messages).
/// </summary>
public sealed class ApprovalBackgroundService(ApprovalTimeoutWatcher watcher, WebhookDispatcher dispatcher) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(watcher.RunAsync(stoppingToken), dispatcher.RunAsync(stoppingToken));
}
