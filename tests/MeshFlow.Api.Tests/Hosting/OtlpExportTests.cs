using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MeshFlow.Api.Hosting;
using MeshFlow.Api.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace MeshFlow.Api.Tests.Hosting;

/// <summary>MESHFLOW_OTLP_ENDPOINT sends the API's traces to an OTLP collector: here, a receiver inside the test.</summary>
[Collection(nameof(TracesAlone))]
public sealed class OtlpExportTests
{
    private const string Key = "otlp-test-user-key";
    private const string Ssn = "123-45-6789";

    private const string Review = """
        name: review
        nodes:
          - id: writer
            model: offline
            instructions: Draft the clause.
          - id: critic
            model: scripted
            responses: [APPROVED]
        edges:
          - from: writer
            to: critic
        """;

    [Fact]
    public async Task A_runs_spans_reach_the_collector_in_the_api_requests_trace_without_prompt_content()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var spans = await RunThroughApiAsync(receiver, traceContent: false, input: "Indemnity memo for SSN " + Ssn);

        var request = Assert.Single(spans, s => s.Attributes.GetValueOrDefault("url.path") == "/runs" && s.Attributes.GetValueOrDefault("http.request.method") == "POST");
        var inTrace = spans.Where(s => s.TraceId == request.TraceId).Select(s => s.Name).ToList();
        Assert.Contains("meshflow.run.enqueue", inTrace);
        Assert.Contains("meshflow.run.process", inTrace);
        Assert.Contains("meshflow.run", inTrace);
        Assert.Equal(2, inTrace.Count(n => n == "meshflow.step"));
        Assert.Contains("chat offline", inTrace);
        Assert.Contains("chat scripted", inTrace);
        Assert.Contains("meshflow.ledger.append", inTrace);

        var chat = spans.Single(s => s.Name == "chat scripted");
        Assert.Equal(("chat", "scripted"), (chat.Attributes["gen_ai.operation.name"], chat.Attributes["gen_ai.request.model"]));
        Assert.DoesNotContain(spans, s => s.Attributes.ContainsKey("gen_ai.input.messages"));
        Assert.DoesNotContain(spans, s => s.Attributes.Values.Any(v => v.Contains("Indemnity", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task With_trace_content_on_the_exported_prompt_is_scrubbed_before_it_leaves_the_process()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var spans = await RunThroughApiAsync(receiver, traceContent: true, input: "Indemnity memo for SSN " + Ssn);

        var prompts = spans.Where(s => s.Attributes.ContainsKey("gen_ai.input.messages")).Select(s => s.Attributes["gen_ai.input.messages"]).ToList();
        Assert.NotEmpty(prompts);
        Assert.Contains(prompts, p => p.Contains("Indemnity", StringComparison.Ordinal) && p.Contains("[PHI-REDACTED:SSN]", StringComparison.Ordinal));
        Assert.DoesNotContain(spans, s => s.Attributes.Values.Any(v => v.Contains(Ssn, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_invalid_endpoint_stops_start_up_with_one_line_naming_the_setting()
    {
        var (exitCode, output, error) = await ApiProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["MESHFLOW_API_KEYS"] = "good-startup-key",
            ["MESHFLOW_OTLP_ENDPOINT"] = "localhost:4317",
        });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("MeshFlow.Api cannot start: MESHFLOW_OTLP_ENDPOINT must be an absolute http:// or https:// URL", line, StringComparison.Ordinal);
        Assert.Contains("'localhost:4317'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }

    // The API in embedded mode (its worker in the same process), exporting to the receiver over OTLP/HTTP protobuf:
    // a run through POST /runs, polled to its end, then the tracer provider flushed.
    private static async Task<IReadOnlyList<OtlpSpan>> RunThroughApiAsync(OtlpReceiver receiver, bool traceContent, string input)
    {
        var data = Directory.CreateTempSubdirectory("meshflow-otlp-");
        try
        {
            string[] args =
            [
                $"--MESHFLOW_OTLP_ENDPOINT={receiver.Url}", "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", $"--MESHFLOW_API_KEYS={Key}",
                $"--MESHFLOW_DATA_DIR={data.FullName}", $"--MESHFLOW_TRACE_CONTENT={(traceContent ? "true" : "false")}",
            ];
            await using var app = MeshFlowApiHost.Build(args, builder => builder.WebHost.UseTestServer());
            await MeshFlowApiHost.PrepareAsync(app);
            await app.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

            using var client = app.GetTestClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
            using var started = await client.PostWithTimeoutAsync("/runs",
                new StringContent(JsonSerializer.Serialize(new { yaml = Review, input }), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            var runId = (await started.ReadJsonAsync()).GetProperty("run_id").GetString()!;
            await WaitForStatusAsync(client, runId, "completed");

            // The worker's process span ends after the run's end is committed (it acknowledges the queue entry first):
            // flush until it has arrived too.
            var tracer = app.Services.GetRequiredService<TracerProvider>();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TestTimeouts.Default);
            while (true)
            {
                Assert.True(tracer.ForceFlush((int)TestTimeouts.Default.TotalMilliseconds));
                if (receiver.Spans.Any(s => s.Name == "meshflow.run.process"))
                {
                    break;
                }

                await Task.Delay(50, timeout.Token);
            }

            await app.StopAsync(TestContext.Current.CancellationToken);
            return receiver.Spans;
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static async Task WaitForStatusAsync(HttpClient client, string runId, string status)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TestTimeouts.Default);
        while (true)
        {
            using var response = await client.GetWithTimeoutAsync($"/runs/{runId}");
            if ((await response.ReadJsonAsync()).GetProperty("status").GetString() == status)
            {
                return;
            }

            await Task.Delay(50, timeout.Token);
        }
    }
}
