using System.Text.Json;
using System.Threading.Channels;
using MeshFlow.Governance;
using MeshFlow.Observability.Metrics;
using MeshFlow.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Metrics;

/// <summary>
/// A worker's metrics: records each measurement in this process's own instruments (exported over OTLP as before) and
/// relays it as a compact sample on a Redis pub/sub channel, where every API instance's
/// <see cref="RedisMetricSubscriber"/> records it into the instruments its <c>/metrics</c> serves.
/// </summary>
/// <remarks>
/// Relaying is fire-and-forget and never slows a run: samples wait in a bounded buffer and are sent in batches by this
/// service; when Redis is away they are dropped past the buffer's size (the worker's own instruments still have them).
/// A sample published while no API instance listens is lost, as pub/sub is; the API's totals count from its start, as
/// any Prometheus counter does. Each worker also reports its runs in flight on every change and every
/// <see cref="MetricRelayOptions.HeartbeatInterval"/>, so the API drops a worker that stopped reporting.
/// </remarks>
public sealed partial class RedisMetricRelay : BackgroundService, IMeshFlowMetrics
{
    private readonly IConnectionMultiplexer _redis;
    private readonly MeshFlowMetrics _local;
    private readonly MetricRelayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RedisChannel _channel;
    private readonly Channel<MetricSample> _pending;
    private long _dropped;

    /// <summary>Creates the relay over <paramref name="local"/>, this process's own metrics.</summary>
    public RedisMetricRelay(IConnectionMultiplexer redis, MeshFlowMetrics local, MetricRelayOptions? options = null, TimeProvider? timeProvider = null,
        ILogger<RedisMetricRelay>? logger = null)
    {
        _redis = redis ?? throw new ArgumentNullException(nameof(redis));
        _local = local ?? throw new ArgumentNullException(nameof(local));
        _options = options ?? new MetricRelayOptions();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _channel = RedisChannel.Literal(_options.Channel);
        _pending = Channel.CreateBounded<MetricSample>(
            new BoundedChannelOptions(_options.MaxPending) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <inheritdoc />
    public void RunEnded(RunStatus status, TimeSpan duration)
    {
        _local.RunEnded(status, duration);
        Relay(new MetricSample { Kind = MetricSample.RunEnded, Label = WireNames.Of(status), Seconds = duration.TotalSeconds });
    }

    /// <inheritdoc />
    public void StepEnded(StepMeasurement measurement)
    {
        _local.StepEnded(measurement);
        Relay(new MetricSample
        {
            Kind = MetricSample.StepEnded, Provider = measurement.Provider, Model = measurement.Model, InputTokens = measurement.InputTokens,
            OutputTokens = measurement.OutputTokens, CostUsd = measurement.CostUsd,
            Label = measurement.BlockReason is { } reason ? WireNames.Of(reason) : null, AgentId = measurement.AgentId, Uncertainty = measurement.Uncertainty,
        });
    }

    /// <inheritdoc />
    public void StepBlocked(BlockReason reason)
    {
        _local.StepBlocked(reason);
        Relay(new MetricSample { Kind = MetricSample.StepBlocked, Label = WireNames.Of(reason) });
    }

    /// <inheritdoc />
    public void LedgerCommitted(TimeSpan duration)
    {
        _local.LedgerCommitted(duration);
        Relay(new MetricSample { Kind = MetricSample.LedgerCommitted, Seconds = duration.TotalSeconds });
    }

    /// <inheritdoc />
    public void WebhookDelivery(string outcome)
    {
        _local.WebhookDelivery(outcome);
        Relay(new MetricSample { Kind = MetricSample.WebhookDelivery, Label = outcome });
    }

    /// <inheritdoc />
    public void RunInFlight(string worker, int delta)
    {
        _local.RunInFlight(worker, delta);
        ReportInFlight();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var heartbeat = HeartbeatAsync(stoppingToken);
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await SendBatchAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is buffered goes out once more, best effort.
            await SendBatchAsync().ConfigureAwait(false);
        }

        await heartbeat.ConfigureAwait(false);
    }

    private void Relay(MetricSample sample) => _pending.Writer.TryWrite(sample);

    private void ReportInFlight()
    {
        foreach (var (worker, count) in _local.LocalInFlight())
        {
            Relay(new MetricSample { Kind = MetricSample.InFlight, Worker = worker, Count = count });
        }
    }

    private async Task HeartbeatAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _time);
        try
        {
            do
            {
                ReportInFlight();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task SendBatchAsync()
    {
        var batch = new List<MetricSample>(Math.Min(_options.MaxBatch, 64));
        while (batch.Count < _options.MaxBatch && _pending.Reader.TryRead(out var sample))
        {
            batch.Add(sample);
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            var json = JsonSerializer.SerializeToUtf8Bytes([.. batch], MetricSampleJsonContext.Default.MetricSampleArray);
            await _redis.GetSubscriber().PublishAsync(_channel, json, CommandFlags.FireAndForget).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            LogRelayFailed(ex, batch.Count);
        }

        if (Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
        {
            LogDropped(dropped);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relaying {Count} metric samples to the API failed; they are dropped (this worker's own metrics keep them)")]
    private partial void LogRelayFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} metric samples were dropped: the relay buffer was full")]
    private partial void LogDropped(long count);
}
