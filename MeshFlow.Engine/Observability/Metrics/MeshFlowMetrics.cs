using System.Diagnostics.Metrics;
using MeshFlow.Governance;
using MeshFlow.Runs;

namespace MeshFlow.Observability.Metrics;

/// <summary>
/// The in-process metrics: records what this process's engine reports, and what other processes relay to it
/// (<see cref="ReportInFlight"/> and the <see cref="IMeshFlowMetrics"/> calls replayed from their samples), into
/// instruments on a <see cref="MeshFlowTelemetry.Name"/> meter.
/// </summary>
/// <remarks>
/// Made from the host's <see cref="IMeterFactory"/>, the meter lives and dies with the host's services, so two hosts in
/// one process (tests) never share gauge callbacks.
/// </remarks>
public sealed class MeshFlowMetrics : IMeshFlowMetrics, IDisposable
{
    private static readonly double[] RunBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
    private static readonly double[] CommitBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _runDuration;
    private readonly Counter<long> _tokens;
    private readonly Counter<double> _cost;
    private readonly Counter<long> _blocks;
    private readonly Histogram<double> _ledgerCommit;
    private readonly Counter<long> _webhookDeliveries;
    private readonly RecentValues _uncertainty;
    private readonly LabelCap _models;
    private readonly InFlightRuns _inFlight;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or on a meter of their own without one.</summary>
    public MeshFlowMetrics(IMeterFactory? meterFactory = null, MeshFlowMetricsOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new MeshFlowMetricsOptions();
        options.Validate();
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeshFlowTelemetry.Name) ?? new Meter(MeshFlowTelemetry.Name);
        _uncertainty = new RecentValues(options.MaxUncertaintyAgents);
        _models = new LabelCap(options.MaxModels);
        _inFlight = new InFlightRuns(timeProvider ?? TimeProvider.System, options.WorkerReportLifetime);

        _runs = _meter.CreateCounter<long>(MetricNames.Runs, description: "Runs that ended, by final status.");
        _runDuration = _meter.CreateHistogram(MetricNames.RunDuration, MetricNames.Seconds, "How long ended runs executed (queue and approval waits excluded).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RunBuckets });
        _tokens = _meter.CreateCounter<long>(MetricNames.Tokens, description: "Tokens used by steps, by provider, model and direction.");
        _cost = _meter.CreateCounter<double>(MetricNames.CostUsd, description: "What steps cost in US dollars, by provider and model.");
        _blocks = _meter.CreateCounter<long>(MetricNames.Blocks, description: "Steps blocked, by reason.");
        _ledgerCommit = _meter.CreateHistogram(MetricNames.LedgerCommitDuration, MetricNames.Seconds, "How long a ledger append took to commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommitBuckets });
        _webhookDeliveries = _meter.CreateCounter<long>(MetricNames.WebhookDeliveries, description: "Approval webhook delivery attempts, by outcome.");
        _meter.CreateObservableGauge(MetricNames.UncertaintyScore, ObserveUncertainty,
            description: "The last uncertainty score of each of the most recently scored agents.");
        _meter.CreateObservableGauge(MetricNames.RunsInFlight, ObserveInFlight, description: "Runs executing, by worker.");
    }

    /// <summary>The meter the instruments are on; a host adds the shared-state gauges to it.</summary>
    public Meter Meter => _meter;

    /// <inheritdoc />
    public void RunEnded(RunStatus status, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>(MetricTags.Status, WireNames.Of(status));
        _runs.Add(1, tag);
        _runDuration.Record(Math.Max(0, duration.TotalSeconds), tag);
    }

    /// <inheritdoc />
    public void StepEnded(StepMeasurement measurement)
    {
        if (measurement.InputTokens > 0 || measurement.OutputTokens > 0 || measurement.CostUsd > 0)
        {
            var (provider, model) = ModelLabels(measurement.Provider, measurement.Model);
            var providerTag = new KeyValuePair<string, object?>(MetricTags.Provider, provider);
            var modelTag = new KeyValuePair<string, object?>(MetricTags.Model, model);
            if (measurement.InputTokens > 0)
            {
                _tokens.Add(measurement.InputTokens, providerTag, modelTag, new KeyValuePair<string, object?>(MetricTags.Direction, MetricTags.Input));
            }

            if (measurement.OutputTokens > 0)
            {
                _tokens.Add(measurement.OutputTokens, providerTag, modelTag, new KeyValuePair<string, object?>(MetricTags.Direction, MetricTags.Output));
            }

            if (measurement.CostUsd > 0)
            {
                _cost.Add((double)measurement.CostUsd, providerTag, modelTag);
            }
        }

        if (measurement.BlockReason is { } reason)
        {
            StepBlocked(reason);
        }

        if (measurement is { AgentId: { Length: > 0 } agent, Uncertainty: { } score } && double.IsFinite(score))
        {
            _uncertainty.Set(agent, score);
        }
    }

    /// <inheritdoc />
    public void StepBlocked(BlockReason reason) => _blocks.Add(1, new KeyValuePair<string, object?>(MetricTags.Reason, WireNames.Of(reason)));

    /// <inheritdoc />
    public void LedgerCommitted(TimeSpan duration) => _ledgerCommit.Record(Math.Max(0, duration.TotalSeconds));

    /// <inheritdoc />
    public void WebhookDelivery(string outcome) =>
        _webhookDeliveries.Add(1, new KeyValuePair<string, object?>(MetricTags.Outcome, outcome switch
        {
            WebhookDeliveryOutcomes.Delivered or WebhookDeliveryOutcomes.Retried or WebhookDeliveryOutcomes.Failed => outcome,
            _ => MetricTags.Other,
        }));

    /// <inheritdoc />
    public void RunInFlight(string worker, int delta) => _inFlight.Change(worker, delta);

    /// <summary>Another process's worker reports how many runs it has in flight; the report stands for its lifetime.</summary>
    public void ReportInFlight(string worker, long count) => _inFlight.Report(worker, count);

    /// <summary>This process's workers and their runs in flight, for the reports sent to other processes.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> LocalInFlight() => _inFlight.Local();

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private (string Provider, string Model) ModelLabels(string? provider, string? model)
    {
        if (string.IsNullOrEmpty(model))
        {
            return (provider is { Length: > 0 } ? provider : MetricTags.None, MetricTags.None);
        }

        var pair = _models.Admit(string.Concat(provider, "\n", model));
        return pair == MetricTags.Other ? (MetricTags.Other, MetricTags.Other) : (provider is { Length: > 0 } ? provider : MetricTags.None, model);
    }

    private IEnumerable<Measurement<double>> ObserveUncertainty()
    {
        foreach (var (agent, score) in _uncertainty.Snapshot())
        {
            yield return new Measurement<double>(score, new KeyValuePair<string, object?>(MetricTags.AgentId, agent));
        }
    }

    private IEnumerable<Measurement<long>> ObserveInFlight()
    {
        foreach (var (worker, count) in _inFlight.Snapshot())
        {
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>(MetricTags.Worker, worker));
        }
    }
}
