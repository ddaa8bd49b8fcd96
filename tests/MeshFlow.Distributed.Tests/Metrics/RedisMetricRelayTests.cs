using System.Text;
using MeshFlow.Distributed.Metrics;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Governance;
using MeshFlow.Observability.Metrics;
using MeshFlow.Runs;
using MeshFlow.Testing.Redis;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace MeshFlow.Distributed.Tests.Metrics;

/// <summary>
/// The relay against a real Redis: what a worker records arrives in an API instance's instruments, each side on its
/// own connection and its own meter, as two processes would be.
/// </summary>
public sealed class RedisMetricRelayTests(RedisFixture redis) : IAsyncDisposable
{
    private readonly RedisConnections _connections = new();
    private readonly MetricRelayOptions _options = new() { Channel = $"test:metrics:{Guid.NewGuid():N}", HeartbeatInterval = TimeSpan.FromMilliseconds(100) };
    private readonly MeshFlowMetrics _workerMetrics = new();
    private readonly MeshFlowMetrics _apiMetrics = new();

    public async ValueTask DisposeAsync()
    {
        await _connections.DisposeAsync();
        _workerMetrics.Dispose();
        _apiMetrics.Dispose();
    }

    private static string? Tag<T>(CollectedMeasurement<T> measurement, string key) where T : struct =>
        measurement.Tags.TryGetValue(key, out var value) ? value as string : null;

    [Fact]
    public async Task What_a_worker_records_arrives_in_the_APIs_instruments_and_stays_in_its_own()
    {
        using var relay = new RedisMetricRelay(await _connections.ConnectAsync(redis.ConnectionString), _workerMetrics, _options);
        using var subscriber = new RedisMetricSubscriber(await _connections.ConnectAsync(redis.ConnectionString), _apiMetrics, _options);
        using var apiRuns = new MetricCollector<long>(_apiMetrics.Meter, MetricNames.Runs);
        using var apiDurations = new MetricCollector<double>(_apiMetrics.Meter, MetricNames.RunDuration);
        using var apiTokens = new MetricCollector<long>(_apiMetrics.Meter, MetricNames.Tokens);
        using var apiCost = new MetricCollector<double>(_apiMetrics.Meter, MetricNames.CostUsd);
        using var apiBlocks = new MetricCollector<long>(_apiMetrics.Meter, MetricNames.Blocks);
        using var apiCommits = new MetricCollector<double>(_apiMetrics.Meter, MetricNames.LedgerCommitDuration);
        using var apiWebhooks = new MetricCollector<long>(_apiMetrics.Meter, MetricNames.WebhookDeliveries);
        using var apiScores = new MetricCollector<double>(_apiMetrics.Meter, MetricNames.UncertaintyScore);
        using var apiInFlight = new MetricCollector<long>(_apiMetrics.Meter, MetricNames.RunsInFlight);
        using var workerRuns = new MetricCollector<long>(_workerMetrics.Meter, MetricNames.Runs);
        await subscriber.StartAsync(TestContext.Current.CancellationToken);
        await relay.StartAsync(TestContext.Current.CancellationToken);

        // The worker's heartbeat carries its runs in flight; once the API sees it, the subscription is live.
        relay.RunInFlight("worker-7", 1);
        await Eventually.TrueAsync(() =>
        {
            apiInFlight.Clear();
            apiInFlight.RecordObservableInstruments();
            return apiInFlight.GetMeasurementSnapshot().Any(m => Tag(m, MetricTags.Worker) == "worker-7" && m.Value == 1);
        });

        relay.RunEnded(RunStatus.Completed, TimeSpan.FromSeconds(2.5));
        relay.StepEnded(new StepMeasurement("openai", "gpt-4o", 100, 20, 0.5m, BlockReason.Budget, "reviewer", 0.75));
        relay.StepBlocked(BlockReason.HitlRejected);
        relay.LedgerCommitted(TimeSpan.FromMilliseconds(4));
        relay.WebhookDelivery(WebhookDeliveryOutcomes.Retried);
        relay.RunInFlight("worker-7", -1);

        await Eventually.TrueAsync(() => apiWebhooks.GetMeasurementSnapshot().Count == 1);
        var run = Assert.Single(apiRuns.GetMeasurementSnapshot());
        Assert.Equal(("completed", 1L), (Tag(run, MetricTags.Status), run.Value));
        Assert.Equal(2.5, Assert.Single(apiDurations.GetMeasurementSnapshot()).Value);
        Assert.Equal([(100L, "input"), (20L, "output")], apiTokens.GetMeasurementSnapshot().Select(m => (m.Value, Tag(m, MetricTags.Direction))));
        Assert.All(apiTokens.GetMeasurementSnapshot(), m => Assert.Equal(("openai", "gpt-4o"), (Tag(m, MetricTags.Provider), Tag(m, MetricTags.Model))));
        Assert.Equal(0.5, Assert.Single(apiCost.GetMeasurementSnapshot()).Value);
        Assert.Equal(["budget", "hitl_rejected"], apiBlocks.GetMeasurementSnapshot().Select(m => Tag(m, MetricTags.Reason)));
        Assert.Equal(0.004, Assert.Single(apiCommits.GetMeasurementSnapshot()).Value, 6);
        Assert.Equal("retried", Tag(Assert.Single(apiWebhooks.GetMeasurementSnapshot()), MetricTags.Outcome));
        apiScores.RecordObservableInstruments();
        Assert.Equal(("reviewer", 0.75), apiScores.GetMeasurementSnapshot().Select(m => (Tag(m, MetricTags.AgentId), m.Value)).Single());
        await Eventually.TrueAsync(() =>
        {
            apiInFlight.Clear();
            apiInFlight.RecordObservableInstruments();
            return apiInFlight.GetMeasurementSnapshot().Any(m => Tag(m, MetricTags.Worker) == "worker-7" && m.Value == 0);
        });

        // The worker's own instruments (exported over OTLP) have it too.
        Assert.Equal("completed", Tag(Assert.Single(workerRuns.GetMeasurementSnapshot()), MetricTags.Status));
        await relay.StopAsync(TestContext.Current.CancellationToken);
        await subscriber.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_message_that_does_not_parse_or_names_an_unknown_value_records_nothing_of_it()
    {
        using var subscriber = new RedisMetricSubscriber(await _connections.ConnectAsync(redis.ConnectionString), _apiMetrics, _options);
        using var runs = new MetricCollector<long>(_apiMetrics.Meter, MetricNames.Runs);
        using var blocks = new MetricCollector<long>(_apiMetrics.Meter, MetricNames.Blocks);

        Assert.Equal(0, subscriber.Apply(Encoding.UTF8.GetBytes("not json")));
        Assert.Equal(0, subscriber.Apply(Encoding.UTF8.GetBytes("""{"k":"run"}""")));
        var applied = subscriber.Apply(Encoding.UTF8.GetBytes("""
            [{"k":"run","l":"exploded","s":1},{"k":"run","l":"7","s":1},{"k":"block","l":"tenant acme's secret"},{"k":"nope"},
             {"k":"step","l":"\"budget"},{"k":"run","l":"failed","s":1},{"k":"block","l":"guardian"}]
            """));

        Assert.Equal(2, applied);
        Assert.Equal("failed", Tag(Assert.Single(runs.GetMeasurementSnapshot()), MetricTags.Status));
        Assert.Equal("guardian", Tag(Assert.Single(blocks.GetMeasurementSnapshot()), MetricTags.Reason));
    }
}
