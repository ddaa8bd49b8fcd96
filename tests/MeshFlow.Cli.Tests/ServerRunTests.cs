using System.Text.Json;
using MeshFlow.Cli.Tests.Support;

namespace MeshFlow.Cli.Tests;

/// <summary><c>meshflow run</c>, <c>runs</c> and <c>trace</c> against an embedded server started by the tests.</summary>
[Collection(SharedServer.Name)]
public sealed class ServerRunTests(ServerFixture server)
{
    [Fact]
    public async Task A_run_on_the_server_streams_its_steps_and_is_listed_and_traced_there()
    {
        using var folder = new TempDirectory();
        var name = TestWorkflows.UniqueName("review");
        var workflow = TestWorkflows.Renamed(folder, "review.yaml", name);

        var run = await server.RunAsync(["run", workflow, "--input", "A supply agreement"], folder.Path, TestContext.Current.CancellationToken);

        CliAssert.Succeeds(run);
        Assert.Contains($"workflow '{name}'", run.Output, StringComparison.Ordinal);
        Assert.Contains("a deterministic reply to \"A supply agreement\"", run.Output, StringComparison.Ordinal);
        Assert.Contains("step critic:3 commit · ", run.Output, StringComparison.Ordinal);
        Assert.Contains("completed · 6 steps", run.Output, StringComparison.Ordinal);
        var runId = TestWorkflows.RunId(run);
        // Nothing is written to the folder the command ran in: the run is the server's.
        Assert.False(Directory.Exists(Path.Combine(folder.Path, ".meshflow")));

        var runs = await server.RunAsync(["runs", "--workflow", name], cancellationToken: TestContext.Current.CancellationToken);
        CliAssert.Succeeds(runs);
        var row = Assert.Single(runs.Output.Split('\n'), line => line.Contains(runId, StringComparison.Ordinal));
        Assert.Matches($@"completed\s+{name}\s+.*\s+6\s+\$0\.0000", row);

        var trace = await server.RunAsync(["trace", runId], cancellationToken: TestContext.Current.CancellationToken);
        CliAssert.Succeeds(trace);
        Assert.Contains($"run {runId} · workflow {name} · completed · 8 records", trace.Output, StringComparison.Ordinal);

        var step = await server.RunAsync(["trace", runId, "--step", "critic:2"], cancellationToken: TestContext.Current.CancellationToken);
        CliAssert.Succeeds(step);
        Assert.Contains("output:\nREVISE - shorten the term", step.Output, StringComparison.Ordinal);

        var export = await server.RunAsync(["trace", runId, "--export"], cancellationToken: TestContext.Current.CancellationToken);
        CliAssert.Succeeds(export);
        using var json = JsonDocument.Parse(export.Output);
        Assert.Equal(runId, json.RootElement.GetProperty("run_id").GetString());
        Assert.Equal(8, json.RootElement.GetProperty("steps").GetArrayLength());
    }

    [Fact]
    public async Task A_bundle_exported_from_the_server_verifies_against_the_servers_pinned_key_here_and_in_python()
    {
        using var folder = new TempDirectory();
        var runId = TestWorkflows.RunId(await server.RunAsync(["run", TestWorkflows.Example("triage.yaml")], folder.Path, TestContext.Current.CancellationToken));
        var export = await server.RunAsync(["export", runId], cancellationToken: TestContext.Current.CancellationToken);
        var key = await server.RunAsync(["admin", "keys", "ledger"], cancellationToken: TestContext.Current.CancellationToken);
        CliAssert.Succeeds(export);
        CliAssert.Succeeds(key);
        var bundle = folder.File("bundle.json");
        var keyFile = folder.File("ledger.pub");
        await File.WriteAllTextAsync(bundle, export.Output, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(keyFile, key.Output, TestContext.Current.CancellationToken);

        // Offline: no server named, none needed.
        var offline = await MeshFlowCli.RunAsync(["verify", bundle, "--public-key", keyFile], folder.Path, cancellationToken: TestContext.Current.CancellationToken);
        var byRunId = await server.RunAsync(["verify", runId, "--public-key", keyFile], cancellationToken: TestContext.Current.CancellationToken);
        var python = await PythonVerifier.VerifyAsync(bundle, keyFile, TestContext.Current.CancellationToken);

        CliAssert.Succeeds(offline);
        Assert.StartsWith("valid: 4 records (head signed at seq 4 by ed25519:", offline.Output, StringComparison.Ordinal);
        Assert.Contains("pinned key", offline.Output, StringComparison.Ordinal);
        CliAssert.Succeeds(byRunId);
        Assert.Equal(offline.Output, byRunId.Output);
        Assert.True(python.ExitCode == 0, python.ToString());
        Assert.Equal(offline.Output.Trim(), python.Output.Trim());
    }

    [Fact]
    public async Task A_run_blocked_on_the_server_exits_1()
    {
        using var folder = new TempDirectory();
        var policy = folder.File("tight.yaml");
        await File.WriteAllTextAsync(policy, "mode: standard\nmax_steps: 2\n", TestContext.Current.CancellationToken);

        var result = await server.RunAsync(["run", TestWorkflows.Example("review.yaml"), "--input", "x", "--policy", policy], folder.Path,
            TestContext.Current.CancellationToken);

        Assert.Contains("step writer:2 blocked (budget: ", result.Output, StringComparison.Ordinal);
        CliAssert.FailsWithOneLine(result, 1, $"run '{TestWorkflows.RunId(result)}' ended blocked at step writer:2 (budget: ");
    }

    [Fact]
    public async Task A_workflow_the_server_refuses_is_reported_at_its_lines()
    {
        using var folder = new TempDirectory();
        var path = folder.File("bad.yaml");
        await File.WriteAllTextAsync(path, "name: bad\nnodes:\n  - id: a\n    model: offline\nedges:\n  - from: a\n    to: nowhere\n",
            TestContext.Current.CancellationToken);

        var result = await server.RunAsync(["run", path], folder.Path, TestContext.Current.CancellationToken);

        CliAssert.FailsWithOneLine(result, 1, $"{path}:7:");
        Assert.Contains("unknown node 'nowhere'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_the_server_refuses_names_its_field()
    {
        using var folder = new TempDirectory();
        var policy = folder.File("policy.json");
        await File.WriteAllTextAsync(policy, """{"max_steps": -3}""", TestContext.Current.CancellationToken);

        var result = await server.RunAsync(["run", TestWorkflows.Example("triage.yaml"), "--policy", policy], folder.Path,
            TestContext.Current.CancellationToken);

        CliAssert.FailsWithOneLine(result, 1, "--policy: policy.max_steps: ");
    }
}
