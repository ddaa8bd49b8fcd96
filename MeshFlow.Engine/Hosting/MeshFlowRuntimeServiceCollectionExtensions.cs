using System.Globalization;
using MeshFlow.Approvals;
using MeshFlow.Approvals.Webhooks;
using MeshFlow.Execution;
using MeshFlow.Ledger;
using MeshFlow.Observability.Metrics;
using MeshFlow.Runtime;
using MeshFlow.Runtime.InProcess;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Hosting;

/// <summary>Registers the run queue, event bus, signals, submitter and worker loop in a host's services.</summary>
public static class MeshFlowRuntimeServiceCollectionExtensions
{
    /// <summary>The configuration key of how many runs one worker executes at once.</summary>
    public const string WorkerConcurrencyKey = "MESHFLOW_WORKER_CONCURRENCY";

    /// <summary>The configuration key of how many deliveries of a run's entry are tried before it is dead-lettered.</summary>
    public const string MaxDeliveriesKey = "MESHFLOW_MAX_DELIVERIES";

    /// <summary>
    /// Adds the runtime's contracts with their in-process implementations (unless a distributed adapter registered
    /// its own first), the <see cref="RunSubmitter"/> and the <see cref="RunProcessor"/>. Needs the engine and the
    /// ledger (<c>AddMeshFlowEngine</c>, <c>AddMeshFlowLedger</c>).
    /// </summary>
    public static IServiceCollection AddMeshFlowRuntime(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider => new RunEventBusOptions());
        services.TryAddSingleton<IRunQueue, InProcessRunQueue>();
        services.TryAddSingleton<IRunEventBus>(provider =>
            new InProcessRunEventBus(provider.GetRequiredService<RunEventBusOptions>(), provider.GetService<TimeProvider>()));
        services.TryAddSingleton<IRunSignals, InProcessRunSignals>();
        services.TryAddSingleton(provider => new RunSubmitter(
            provider.GetRequiredService<AuditLedger>(), provider.GetRequiredService<IRunQueue>(), provider.GetService<TimeProvider>()));
        services.TryAddSingleton(provider =>
        {
            var configuration = provider.GetService<IConfiguration>();
            var options = new RunProcessorOptions();
            if (ReadPositive(configuration, WorkerConcurrencyKey) is { } concurrency)
            {
                options.MaxConcurrentRuns = concurrency;
            }

            if (ReadPositive(configuration, MaxDeliveriesKey) is { } deliveries)
            {
                options.MaxDeliveries = deliveries;
            }

            return options;
        });
        services.TryAddSingleton(provider => new RunReconciler(
            provider.GetRequiredService<AuditLedger>(), provider.GetRequiredService<IRunQueue>(), provider.GetService<TimeProvider>(),
            provider.GetService<ILogger<RunReconciler>>()));
        services.AddMeshFlowApprovals();
        services.TryAddSingleton(provider => new RunProcessor(
            provider.GetRequiredService<MeshFlowEngine>(), provider.GetRequiredService<IRunQueue>(), provider.GetRequiredService<IRunEventBus>(),
            provider.GetRequiredService<IRunSignals>(), provider.GetRequiredService<RunProcessorOptions>(), provider.GetService<ILogger<RunProcessor>>()));
        return services;
    }

    /// <summary>Adds the worker loop as a hosted service: this process executes queued runs.</summary>
    public static IServiceCollection AddMeshFlowWorker(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMeshFlowRuntime();
        services.AddHostedService<RunWorkerService>();
        services.AddHostedService<ApprovalBackgroundService>();
        return services;
    }

    /// <summary>
    /// Adds the <see cref="ApprovalDesk"/> (reviewers' and the deadline's decisions), the timeout watcher and the webhook
    /// outbox's sender and dispatcher. The API's public URL for approval links comes from <c>MESHFLOW_PUBLIC_URL</c>; the
    /// tenants' signing secrets from <c>MESHFLOW_WEBHOOK_SECRETS</c> or <c>MESHFLOW_WEBHOOK_SECRETS_FILE</c>; private
    /// destinations are refused unless <c>MESHFLOW_WEBHOOK_ALLOW_PRIVATE=true</c>.
    /// </summary>
    public static IServiceCollection AddMeshFlowApprovals(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider => new ApprovalDesk(
            provider.GetRequiredService<AuditLedger>(), provider.GetRequiredService<IRunQueue>(), provider.GetRequiredService<IRunEventBus>(),
            provider.GetService<TimeProvider>(), provider.GetService<IConfiguration>()?[MeshFlowServiceCollectionExtensions.PublicUrlKey],
            provider.GetService<ILogger<ApprovalDesk>>()));
        services.TryAddSingleton(provider => new ApprovalTimeoutWatcher(
            provider.GetRequiredService<ApprovalDesk>(), $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}",
            provider.GetService<ILogger<ApprovalTimeoutWatcher>>()));
        services.TryAddSingleton(provider => WebhookSecrets.Load(provider.GetRequiredService<IConfiguration>()));
        services.TryAddSingleton(provider => WebhookAddressRules.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.TryAddSingleton<IWebhookSender>(provider => new WebhookSender(
            provider.GetRequiredService<WebhookSecrets>(), provider.GetRequiredService<WebhookAddressRules>(), null, provider.GetService<TimeProvider>()));
        services.TryAddSingleton(provider => new WebhookDispatcher(
            provider.GetRequiredService<ApprovalDesk>().Store, provider.GetRequiredService<IWebhookSender>(), null, provider.GetService<TimeProvider>(),
            provider.GetService<ILogger<WebhookDispatcher>>(), provider.GetService<IMeshFlowMetrics>()));
        return services;
    }

    private static int? ReadPositive(IConfiguration? configuration, string key)
    {
        if (configuration?[key] is not { Length: > 0 } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new FormatException($"{key} must be a positive whole number, not '{text}'");
    }
}
