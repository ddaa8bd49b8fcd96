using MeshFlow.Dashboard.Metrics;

namespace MeshFlow.Dashboard.Tests.Metrics;

public sealed class PrometheusTextReaderTests
{
    // As OpenTelemetry's Prometheus exporter writes it: target_info, scope labels, timestamps, a histogram, # EOF.
    private const string ExporterOutput = """
        # TYPE target_info gauge
        # HELP target_info Target metadata
        target_info{service_name="api",service_instance_id="7d0c",telemetry_sdk_language="dotnet",telemetry_sdk_name="opentelemetry",telemetry_sdk_version="1.20.0"} 1
        # TYPE meshflow_runs_total counter
        # HELP meshflow_runs_total Runs that ended, by status.
        meshflow_runs_total{otel_scope_name="MeshFlow",otel_scope_version="1.0.0",status="completed"} 3 1765121130123
        meshflow_runs_total{otel_scope_name="MeshFlow",otel_scope_version="1.0.0",status="blocked"} 1 1765121130123
        # TYPE meshflow_blocks_total counter
        meshflow_blocks_total{otel_scope_name="MeshFlow",reason="budget"} 2 1765121130123
        # TYPE meshflow_tokens_total counter
        meshflow_tokens_total{otel_scope_name="MeshFlow",direction="input",model="offline",provider="offline"} 120 1765121130123
        meshflow_tokens_total{otel_scope_name="MeshFlow",direction="output",model="offline",provider="offline"} 380 1765121130123
        # TYPE meshflow_cost_usd_total counter
        meshflow_cost_usd_total{otel_scope_name="MeshFlow",model="gpt-4o",provider="openai"} 1.25e-02 1765121130123
        # TYPE meshflow_hitl_pending gauge
        meshflow_hitl_pending{otel_scope_name="MeshFlow"} 2 1765121130123
        # TYPE meshflow_run_duration_seconds histogram
        meshflow_run_duration_seconds_bucket{otel_scope_name="MeshFlow",le="0.5"} 1 1765121130123
        meshflow_run_duration_seconds_bucket{otel_scope_name="MeshFlow",le="+Inf"} 4 1765121130123
        meshflow_run_duration_seconds_sum{otel_scope_name="MeshFlow"} 3.75 1765121130123
        meshflow_run_duration_seconds_count{otel_scope_name="MeshFlow"} 4 1765121130123
        # EOF

        """;

    [Fact]
    public void Exporter_output_is_read_as_names_labels_and_values_with_comments_skipped()
    {
        var samples = PrometheusTextReader.Read(ExporterOutput);

        Assert.Equal(12, samples.Count);
        Assert.DoesNotContain(samples, s => s.Name.StartsWith('#'));
        var completed = Assert.Single(samples, s => s.Name == "meshflow_runs_total" && s.Label("status") == "completed");
        Assert.Equal(3, completed.Value);
        Assert.Equal("MeshFlow", completed.Label("otel_scope_name"));
        Assert.Equal(0.0125, Assert.Single(samples, s => s.Name == "meshflow_cost_usd_total").Value, 10);
        Assert.Equal("+Inf", samples.Single(s => s.Name == "meshflow_run_duration_seconds_bucket" && s.Value == 4).Label("le"));
    }

    [Fact]
    public void Escaped_label_values_and_special_values_are_read_exactly()
    {
        var samples = PrometheusTextReader.Read("""
            m{path="C:\\data",quote="say \"hi\"",text="a\nb"} +Inf
            m{} NaN
            m -Inf
            m{a="1",} 4.5
            """.Replace("\r", "", StringComparison.Ordinal));

        Assert.Equal(@"C:\data", samples[0].Label("path"));
        Assert.Equal("say \"hi\"", samples[0].Label("quote"));
        Assert.Equal("a\nb", samples[0].Label("text"));
        Assert.Equal(double.PositiveInfinity, samples[0].Value);
        Assert.True(double.IsNaN(samples[1].Value));
        Assert.Equal(double.NegativeInfinity, samples[2].Value);
        Assert.Empty(samples[2].Labels);
        Assert.Equal(4.5, samples[3].Value);
    }

    [Theory]
    [InlineData("meshflow_runs_total{status=\"completed\" 3", "expected '}'")]
    [InlineData("meshflow_runs_total{status=\"completed} 3", "not closed")]
    [InlineData("meshflow_runs_total{status=completed} 3", "expected '\"'")]
    [InlineData("meshflow_runs_total", "expected a space and a value")]
    [InlineData("meshflow_runs_total three", "'three' is not a sample value")]
    [InlineData("meshflow_runs_total 3 yesterday", "'yesterday' is not a timestamp")]
    [InlineData("meshflow_runs_total 3 1765121130123 extra", "unexpected 'extra'")]
    [InlineData("{status=\"x\"} 3", "expected a metric name")]
    [InlineData("m{a=\"1\",a=\"2\"} 3", "label 'a' appears twice")]
    [InlineData("m{a=\"\\t\"} 3", "unknown escape")]
    public void A_malformed_sample_line_is_refused_with_its_line_number(string badLine, string expected)
    {
        var text = "# HELP m fine\nm 1\n" + badLine + "\n";

        var error = Assert.Throws<FormatException>(() => PrometheusTextReader.Read(text));

        Assert.StartsWith("metrics line 3: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_overview_totals_sum_over_scope_model_and_direction_labels()
    {
        var totals = OverviewTotalsReader.FromSamples(PrometheusTextReader.Read(ExporterOutput + """
            meshflow_runs_total{otel_scope_name="MeshFlow.Worker",status="completed"} 2
            """));

        Assert.Equal(OverviewSource.Metrics, totals.Source);
        Assert.Equal(5, totals.RunsByStatus["completed"]);
        Assert.Equal(1, totals.RunsByStatus["blocked"]);
        Assert.Equal(6, totals.Runs);
        Assert.Equal(2, totals.BlocksByReason!["budget"]);
        Assert.Equal(500, totals.Tokens);
        Assert.Equal(0.0125m, totals.CostUsd);
        Assert.Equal(2, totals.HitlPending);
    }

    [Fact]
    public void Without_MeshFlow_counters_the_totals_are_zero_and_pending_is_unknown()
    {
        var totals = OverviewTotalsReader.FromSamples(PrometheusTextReader.Read("target_info{service_name=\"api\"} 1\n# EOF\n"));

        Assert.Empty(totals.RunsByStatus);
        Assert.Equal(0, totals.Tokens);
        Assert.Null(totals.HitlPending);
    }
}
