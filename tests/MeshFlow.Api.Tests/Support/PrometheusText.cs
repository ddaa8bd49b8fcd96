using System.Diagnostics;
using System.Text.Json;

namespace MeshFlow.Api.Tests.Support;

/// <summary>
/// Parses Prometheus text exposition with the real Prometheus client library's parser
/// (<c>prometheus_client.parser.text_string_to_metric_families</c>, Debian's python3-prometheus-client under
/// /usr/bin/python3): what it reads is what a Prometheus server would read.
/// </summary>
internal static class PrometheusText
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        out = []
        for family in text_string_to_metric_families(sys.stdin.read()):
            for s in family.samples:
                out.append({"family": family.name, "type": family.type, "name": s.name, "labels": s.labels, "value": s.value})
        json.dump(out, sys.stdout)
        """;

    /// <summary>Every sample in <paramref name="text"/>; the parser's error (and the test's failure) when it is not valid exposition.</summary>
    public static async Task<IReadOnlyList<PrometheusSample>> ParseAsync(string text)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"the Prometheus parser rejected the exposition: {await error}");
        using var json = JsonDocument.Parse(await output);
        return [.. json.RootElement.EnumerateArray().Select(sample => new PrometheusSample(
            sample.GetProperty("family").GetString()!, sample.GetProperty("type").GetString()!, sample.GetProperty("name").GetString()!,
            sample.GetProperty("labels").EnumerateObject().ToDictionary(label => label.Name, label => label.Value.GetString()!, StringComparer.Ordinal),
            sample.GetProperty("value").GetDouble()))];
    }
}
