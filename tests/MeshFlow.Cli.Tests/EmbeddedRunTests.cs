using System.Text.Json;
using MeshFlow.Cli.Tests.Support;

namespace MeshFlow.Cli.Tests;

/// <summary><c>meshflow run</c>, <c>runs</c> and <c>trace</c> with no server: each test has its own data folder.</summary>
public sealed class EmbeddedRunTests
{
    [Fact]
    public async Task A_run_streams_its_steps_and_tokens_and_ends_with_the_output_and_the_run_id()
    {
        using var folder = new TempDirectory();

        var result = await Cli(folder, ["run", TestWorkflows.Example("review.yaml"), "--input", "A mutual NDA"]);

        CliAssert.Succeeds(result);
        var output = result.Output;
        // Each step's start, its streamed text, then its verdict and cost, in that order.
        var started = output.IndexOf("step writer:1 started: agent writer, the offline model", StringComparison.Ordinal);
        var tokens = output.IndexOf("a deterministic reply to \"A mutual NDA\"", StringComparison.Ordinal);
        var ended = output.IndexOf("step writer:1 commit · ", StringComparison.Ordinal);
        Assert.True(started >= 0 && tokens > started && ended > tokens, result.ToString());
        Assert.Contains("REVISE - name the governing law", output, StringComparison.Ordinal);
        Assert.Contains("step critic:3 commit", output, StringComparison.Ordinal);
        Assert.Contains("completed · 6 steps · ", output, StringComparison.Ordinal);
        var runId = TestWorkflows.RunId(result);
        Assert.EndsWith($"run_id: {runId}", output.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("output:\n[offline model] Following \"Draft the clause.\"", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder.File("data"), "ledger.db")));
    }

    [Fact]
    public async Task A_blocked_run_exits_1_and_says_which_step_blocked_it_and_why()
    {
        using var folder = new TempDirectory();
        var policy = folder.File("tight.yaml");
        await File.WriteAllTextAsync(policy, "max_steps: 1\n", TestContext.Current.CancellationToken);

        var result = await Cli(folder, ["run", TestWorkflows.Example("review.yaml"), "--input", "x", "--policy", policy]);

        Assert.Contains("step critic:1 blocked (budget: ", result.Output, StringComparison.Ordinal);
        CliAssert.FailsWithOneLine(result, 1, $"run '{TestWorkflows.RunId(result)}' ended blocked at step critic:1 (budget: ");
    }

    [Fact]
    public async Task A_paused_run_exits_1_and_says_how_to_approve_it()
    {
        using var folder = new TempDirectory();

        var result = await Cli(folder, ["run", TestWorkflows.Example("approvals/contract.yaml"), "--input", "Indemnity for a supplier"]);

        var runId = TestWorkflows.RunId(result);
        Assert.Contains("step legal:1 waits for a human", result.Output, StringComparison.Ordinal);
        CliAssert.FailsWithOneLine(result, 1, $"run '{runId}' is paused at step legal:1, waiting for a human");
        Assert.Contains($"meshflow admin approvals approve {runId}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_lists_the_runs_recorded_in_the_data_folder_and_filters_them_by_status()
    {
        using var folder = new TempDirectory();
        var policy = folder.File("tight.json");
        await File.WriteAllTextAsync(policy, """{"max_steps": 1}""", TestContext.Current.CancellationToken);
        var completed = TestWorkflows.RunId(await Cli(folder, ["run", TestWorkflows.Example("review.yaml"), "--input", "x"]));
        var blocked = TestWorkflows.RunId(await Cli(folder, ["run", TestWorkflows.Example("review.yaml"), "--input", "x", "--policy", policy]));

        var all = await Cli(folder, ["runs"]);
        var onlyBlocked = await Cli(folder, ["runs", "--status", "blocked"]);

        CliAssert.Succeeds(all);
        var row = Assert.Single(all.Output.Split('\n'), line => line.Contains(completed, StringComparison.Ordinal));
        Assert.Matches(@"completed\s+review\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\S+ m?s\s+6\s+\$0\.0000", row);
        Assert.Contains(blocked, all.Output, StringComparison.Ordinal);
        CliAssert.Succeeds(onlyBlocked);
        Assert.Contains(blocked, onlyBlocked.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(completed, onlyBlocked.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trace_shows_the_steps_one_step_in_full_and_exports_the_trace_as_json()
    {
        using var folder = new TempDirectory();
        var input = folder.File("input.txt");
        await File.WriteAllTextAsync(input, "A lease for a bakery", TestContext.Current.CancellationToken);
        var runId = TestWorkflows.RunId(await Cli(folder, ["run", TestWorkflows.Example("review.yaml"), "--input", $"@{input}"]));

        var table = await Cli(folder, ["trace", runId]);
        var step = await Cli(folder, ["trace", runId, "--step", "writer:1"]);
        var export = await Cli(folder, ["trace", runId, "--export"]);

        CliAssert.Succeeds(table);
        Assert.Contains($"run {runId} · workflow review · completed · 8 records", table.Output, StringComparison.Ordinal);
        Assert.Matches(@"\s2\s+writer:1\s+writer\s+commit\s+\d+\s+\$0\.0000\s+[\d.]+ m?s\s+\d\.\d\d", table.Output);
        Assert.Contains("(run_start)", table.Output, StringComparison.Ordinal);

        CliAssert.Succeeds(step);
        Assert.Contains("step writer:1 (seq 2) · agent writer · commit", step.Output, StringComparison.Ordinal);
        Assert.Contains("input:\nA lease for a bakery\noutput:\n[offline model]", step.Output, StringComparison.Ordinal);

        CliAssert.Succeeds(export);
        using var trace = JsonDocument.Parse(export.Output);
        Assert.Equal(runId, trace.RootElement.GetProperty("run_id").GetString());
        Assert.Equal("completed", trace.RootElement.GetProperty("status").GetString());
        var steps = trace.RootElement.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(8, steps.Count);
        Assert.Equal("A lease for a bakery", steps[0].GetProperty("input_task").GetString());
        Assert.Equal("writer:1", steps[1].GetProperty("step_id").GetString());
        Assert.Equal(steps[0].GetProperty("entry_hash").GetString(), steps[1].GetProperty("prev_hash").GetString());
    }

    [Fact]
    public async Task A_step_or_run_that_is_not_there_is_one_line()
    {
        using var folder = new TempDirectory();
        var runId = TestWorkflows.RunId(await Cli(folder, ["run", TestWorkflows.Example("triage.yaml")]));

        var noStep = await Cli(folder, ["trace", runId, "--step", "nobody:1"]);
        var noRun = await Cli(folder, ["trace", "run_00000000000000000000000000000000"]);

        CliAssert.FailsWithOneLine(noStep, 1, $"run '{runId}' has no step 'nobody:1'");
        CliAssert.FailsWithOneLine(noRun, 1, "no run 'run_00000000000000000000000000000000'");
    }

    [Fact]
    public async Task An_invalid_workflow_is_not_run_and_each_problem_is_a_line_at_its_position()
    {
        using var folder = new TempDirectory();
        var path = folder.File("bad.yaml");
        await File.WriteAllTextAsync(path, "name: bad\nnodes:\n  - id: a\n    kind: bogus\n  - id: a\n", TestContext.Current.CancellationToken);

        var result = await Cli(folder, ["run", path]);

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = CliAssert.ErrorLines(result);
        Assert.True(lines.Length >= 2, result.ToString());
        Assert.All(lines, line => Assert.StartsWith($"error: {path}:", line, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith($"error: {path}:4:", StringComparison.Ordinal));
        CliAssert.NoStackTrace(result);
        Assert.DoesNotContain("run_id:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_with_problems_names_each_field()
    {
        using var folder = new TempDirectory();
        var policy = folder.File("policy.yaml");
        await File.WriteAllTextAsync(policy, "max_steps: many\nmax_stepz: 3\n", TestContext.Current.CancellationToken);

        var result = await Cli(folder, ["run", TestWorkflows.Example("review.yaml"), "--policy", policy]);

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = CliAssert.ErrorLines(result);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("error: --policy: policy.max_steps: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("error: --policy: policy.max_stepz: unknown policy field 'max_stepz'", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_that_is_neither_a_preset_nor_a_file_is_a_usage_error()
    {
        using var folder = new TempDirectory();

        var result = await Cli(folder, ["run", TestWorkflows.Example("review.yaml"), "--policy", "relaxed"]);

        CliAssert.FailsWithOneLine(result, 2, "--policy 'relaxed' is neither a preset (dev, standard, strict, hipaa) nor a file");
    }

    [Fact]
    public async Task Ctrl_c_during_a_run_cancels_it_and_the_ledger_records_it_cancelled()
    {
        using var folder = new TempDirectory();
        await using var model = new SilentModelServer();
        var workflow = folder.File("slow.yaml");
        await File.WriteAllTextAsync(workflow, "name: slow\nnodes:\n  - id: thinker\n    instructions: Think it over.\n", TestContext.Current.CancellationToken);
        var data = folder.File("data");
        await using var run = CliProcess.Start(["run", workflow, "--input", "x", "--data-dir", data],
            new Dictionary<string, string?> { [model.Connection.Key] = model.Connection.Value }, interruptible: true, workingDirectory: folder.Path);
        await run.WaitForLineAsync(line => line.StartsWith("step thinker:1 started", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var exitCode = await run.InterruptAsync(TestContext.Current.CancellationToken);

        Assert.True(exitCode == 130, $"exit {exitCode}\n{run}");
        var runId = TestWorkflows.RunId(run.Result());
        Assert.Contains($"error: run '{runId}' was cancelled", run.Error, StringComparison.Ordinal);
        Assert.Contains("cancelled · ", run.Output, StringComparison.Ordinal);
        var runs = await MeshFlowCli.RunAsync(["runs", "--data-dir", data], cancellationToken: TestContext.Current.CancellationToken);
        Assert.Matches($@"{runId}\s+cancelled\s+slow", runs.Output);
    }

    private static Task<CliResult> Cli(TempDirectory folder, string[] args) =>
        MeshFlowCli.RunAsync([.. args, "--data-dir", folder.File("data")], folder.Path, cancellationToken: TestContext.Current.CancellationToken);
}
