using System.Diagnostics.Metrics;
using MeshFlow.Governance;
using MeshFlow.Observability.Metrics;
using MeshFlow.Runs;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MeshFlow.Tests.Observability;

/// <summary>The in-process recorder: what each report records, and the caps that keep label sets bounded.</summary>
public sealed class MeshFlowMetricsTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly MeshFlowMetrics _metrics;

    public MeshFlowMetricsTests() => _metrics = new MeshFlowMetrics(null, new MeshFlowMetricsOptions
    {
        MaxUncertaintyAgents = 3, MaxModels = 2, WorkerReportLifetime = TimeSpan.FromSeconds(30),
    }, _time);

    public void Dispose() => _metrics.Dispose();

    private MetricCollector<T> Collect<T>(string name) where T : struct => new(_metrics.Meter, name);

    private static string? Tag<T>(CollectedMeasurement<T> measurement, string key) where T : struct =>
        measurement.Tags.TryGetValue(key, out var value) ? value as string : null;

    private static StepMeasurement Step(string? agent = null, double? uncertainty = null, string? provider = "openai", string? model = "gpt-4o",
        long input = 0, long output = 0, decimal cost = 0, BlockReason? blocked = null) =>
        new(provider, model, input, output, cost, blocked, agent, uncertainty);

    [Fact]
    public void A_run_end_counts_once_by_status_with_its_duration_in_seconds()
    {
        using var runs = Collect<long>(MetricNames.Runs);
        using var durations = Collect<double>(MetricNames.RunDuration);

        _metrics.RunEnded(RunStatus.Completed, TimeSpan.FromMilliseconds(1500));
        _metrics.RunEnded(RunStatus.Blocked, TimeSpan.FromSeconds(2));

        Assert.Equal([("completed", 1L), ("blocked", 1L)], runs.GetMeasurementSnapshot().Select(m => (Tag(m, MetricTags.Status), m.Value)));
        Assert.Equal([1.5, 2.0], durations.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.Equal(MetricNames.Seconds, durations.Instrument!.Unit);
    }

    [Fact]
    public void A_step_counts_its_tokens_by_direction_its_cost_and_its_block_reason()
    {
        using var tokens = Collect<long>(MetricNames.Tokens);
        using var cost = Collect<double>(MetricNames.CostUsd);
        using var blocks = Collect<long>(MetricNames.Blocks);

        _metrics.StepEnded(Step(input: 120, output: 30, cost: 0.25m));
        _metrics.StepEnded(Step(blocked: BlockReason.CircuitBreaker));
        _metrics.StepBlocked(BlockReason.HitlRejected);

        Assert.Equal([(120L, "input", "openai", "gpt-4o"), (30L, "output", "openai", "gpt-4o")], tokens.GetMeasurementSnapshot()
            .Select(m => (m.Value, Tag(m, MetricTags.Direction), Tag(m, MetricTags.Provider), Tag(m, MetricTags.Model))));
        Assert.Equal(0.25, Assert.Single(cost.GetMeasurementSnapshot()).Value);
        Assert.Equal(["circuit_breaker", "hitl_rejected"], blocks.GetMeasurementSnapshot().Select(m => Tag(m, MetricTags.Reason)));
    }

    [Fact]
    public void Models_past_the_cap_count_as_other_and_the_first_ones_keep_their_labels()
    {
        using var tokens = Collect<long>(MetricNames.Tokens);

        _metrics.StepEnded(Step(model: "a", input: 1));
        _metrics.StepEnded(Step(model: "b", input: 1));
        _metrics.StepEnded(Step(model: "c", input: 1));
        _metrics.StepEnded(Step(model: "a", input: 1));
        _metrics.StepEnded(Step(provider: null, model: null, input: 1));

        Assert.Equal([("openai", "a"), ("openai", "b"), ("other", "other"), ("openai", "a"), ("none", "none")],
            tokens.GetMeasurementSnapshot().Select(m => (Tag(m, MetricTags.Provider), Tag(m, MetricTags.Model))));
    }

    [Fact]
    public void The_uncertainty_gauge_keeps_the_most_recently_scored_agents_only()
    {
        using var scores = Collect<double>(MetricNames.UncertaintyScore);

        _metrics.StepEnded(Step("a", 0.1));
        _metrics.StepEnded(Step("b", 0.2));
        _metrics.StepEnded(Step("c", 0.3));
        _metrics.StepEnded(Step("a", 0.4));
        _metrics.StepEnded(Step("d", 0.5));
        _metrics.StepEnded(Step("e", double.NaN));
        _metrics.StepEnded(Step("f"));
        scores.RecordObservableInstruments();

        // b, scored longest ago, left when d came; a stayed because it was scored again; no score, no agent.
        Assert.Equal([("c", 0.3), ("a", 0.4), ("d", 0.5)], scores.GetMeasurementSnapshot().Select(m => (Tag(m, MetricTags.AgentId), m.Value)));
    }

    [Fact]
    public void Runs_in_flight_count_local_workers_and_reported_ones_until_their_report_lapses()
    {
        using var inFlight = Collect<long>(MetricNames.RunsInFlight);

        _metrics.RunInFlight("api-1", 1);
        _metrics.RunInFlight("api-1", 1);
        _metrics.RunInFlight("api-1", -1);
        _metrics.ReportInFlight("worker-1", 4);
        _time.Advance(TimeSpan.FromSeconds(20));
        _metrics.ReportInFlight("worker-2", 2);
        inFlight.RecordObservableInstruments();
        Assert.Equal([("api-1", 1L), ("worker-1", 4L), ("worker-2", 2L)],
            inFlight.GetMeasurementSnapshot().Select(m => (Tag(m, MetricTags.Worker), m.Value)).Order());

        // worker-1 stopped reporting 30 seconds ago; worker-2 reported 10 seconds ago.
        _time.Advance(TimeSpan.FromSeconds(10));
        inFlight.Clear();
        inFlight.RecordObservableInstruments();
        Assert.Equal([("api-1", 1L), ("worker-2", 2L)], inFlight.GetMeasurementSnapshot().Select(m => (Tag(m, MetricTags.Worker), m.Value)).Order());
        Assert.Equal([new KeyValuePair<string, long>("api-1", 1)], _metrics.LocalInFlight());
    }

    [Fact]
    public void Webhook_outcomes_are_the_three_known_ones_or_other()
    {
        using var deliveries = Collect<long>(MetricNames.WebhookDeliveries);

        _metrics.WebhookDelivery(WebhookDeliveryOutcomes.Delivered);
        _metrics.WebhookDelivery(WebhookDeliveryOutcomes.Retried);
        _metrics.WebhookDelivery(WebhookDeliveryOutcomes.Failed);
        _metrics.WebhookDelivery("https://hooks.example/secret-token");

        Assert.Equal(["delivered", "retried", "failed", "other"], deliveries.GetMeasurementSnapshot().Select(m => Tag(m, MetricTags.Outcome)));
    }

    [Fact]
    public void Caps_below_one_are_refused_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MeshFlowMetrics(null, new MeshFlowMetricsOptions { MaxUncertaintyAgents = 0 }));

        Assert.Equal(nameof(MeshFlowMetricsOptions.MaxUncertaintyAgents), error.ParamName);
    }

    [Fact]
    public void Two_recorders_from_different_meters_do_not_see_each_others_measurements()
    {
        using var other = new MeshFlowMetrics();
        using var mine = Collect<long>(MetricNames.Runs);
        using var theirs = new MetricCollector<long>(other.Meter, MetricNames.Runs);

        other.RunEnded(RunStatus.Failed, TimeSpan.Zero);

        Assert.Empty(mine.GetMeasurementSnapshot());
        Assert.Equal("failed", Tag(Assert.Single(theirs.GetMeasurementSnapshot()), MetricTags.Status));
        Assert.IsType<Meter>(other.Meter);
    }
}
