using System.Text.Json;
using MeshFlow.Governance;
using MeshFlow.Observability.Metrics;
using MeshFlow.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Metrics;

/// <summary>
/// An API instance's side of the relay: records the samples every worker publishes (<see cref="RedisMetricRelay"/>)
/// into this process's <see cref="MeshFlowMetrics"/>, so its <c>/metrics</c> shows the work of whichever worker ran it.
/// </summary>
/// <remarks>
/// A sample that does not parse, or names a status, reason or kind this version does not know, is skipped: a newer
/// worker beside an older API loses that measurement, never the subscription. Labels pass through the same caps as
/// local measurements.
/// </remarks>
public sealed partial class RedisMetricSubscriber(IConnectionMultiplexer redis, MeshFlowMetrics metrics, MetricRelayOptions? options = null,
    ILogger<RedisMetricSubscriber>? logger = null) : BackgroundService
{
    private readonly MetricRelayOptions _options = Validated(options ?? new MetricRelayOptions());
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(_options.Channel)).ConfigureAwait(false);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var message = await queue.ReadAsync(stoppingToken).ConfigureAwait(false);
                Apply(message.Message);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await queue.UnsubscribeAsync(CommandFlags.FireAndForget).ConfigureAwait(false);
        }
    }

    /// <summary>Records one relay message (a JSON array of samples); returns how many samples were recorded.</summary>
    internal int Apply(RedisValue message)
    {
        MetricSample[]? samples;
        try
        {
            samples = JsonSerializer.Deserialize(((ReadOnlyMemory<byte>)message).Span, MetricSampleJsonContext.Default.MetricSampleArray);
        }
        catch (JsonException ex)
        {
            LogUnreadable(ex.GetType().Name);
            return 0;
        }

        var applied = 0;
        foreach (var sample in samples ?? [])
        {
            if (sample is not null && Apply(sample))
            {
                applied++;
            }
        }

        return applied;
    }

    private bool Apply(MetricSample sample)
    {
        switch (sample.Kind)
        {
            case MetricSample.RunEnded when TryParse<RunStatus>(sample.Label, out var status) && sample.Seconds is { } seconds
                && double.IsFinite(seconds):
                metrics.RunEnded(status, TimeSpan.FromSeconds(seconds));
                return true;
            case MetricSample.StepEnded:
                BlockReason? reason = null;
                if (sample.Label is not null)
                {
                    if (!TryParse<BlockReason>(sample.Label, out var parsed))
                    {
                        return false;
                    }

                    reason = parsed;
                }

                metrics.StepEnded(new StepMeasurement(sample.Provider, sample.Model, Math.Max(0, sample.InputTokens ?? 0), Math.Max(0, sample.OutputTokens ?? 0),
                    Math.Max(0, sample.CostUsd ?? 0), reason, sample.AgentId, sample.Uncertainty));
                return true;
            case MetricSample.StepBlocked when TryParse<BlockReason>(sample.Label, out var blocked):
                metrics.StepBlocked(blocked);
                return true;
            case MetricSample.LedgerCommitted when sample.Seconds is { } commit && double.IsFinite(commit):
                metrics.LedgerCommitted(TimeSpan.FromSeconds(commit));
                return true;
            case MetricSample.WebhookDelivery when sample.Label is { } outcome:
                metrics.WebhookDelivery(outcome);
                return true;
            case MetricSample.InFlight when sample is { Worker: { Length: > 0 } worker, Count: { } count }:
                metrics.ReportInFlight(worker, count);
                return true;
            default:
                return false;
        }
    }

    // Only a wire name this version writes itself is accepted, so a label value is always one of a fixed set.
    private static bool TryParse<T>(string? name, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrEmpty(name) || name.Contains('"', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            value = WireNames.Parse<T>(name);
        }
        catch (JsonException)
        {
            return false;
        }

        return Enum.IsDefined(value) && WireNames.Of(value) == name;
    }

    private static MetricRelayOptions Validated(MetricRelayOptions options)
    {
        options.Validate();
        return options;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A relayed metrics message could not be read ({Error}); it is skipped")]
    private partial void LogUnreadable(string error);
}
