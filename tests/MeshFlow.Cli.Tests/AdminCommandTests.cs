using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using MeshFlow.Cli.Tests.Support;

namespace MeshFlow.Cli.Tests;

/// <summary><c>meshflow admin</c> against an embedded server started by the tests.</summary>
[Collection(SharedServer.Name)]
public sealed partial class AdminCommandTests(ServerFixture server)
{
    [Fact]
    public async Task A_paused_run_is_listed_and_an_approval_resumes_it_to_completion()
    {
        var runId = await StartPausedRunAsync();

        var pending = await Cli(["admin", "approvals", "list"]);
        CliAssert.Succeeds(pending);
        var row = Assert.Single(pending.Output.Split('\n'), line => line.Contains(runId, StringComparison.Ordinal));
        Assert.Contains("legal:1", row, StringComparison.Ordinal);

        var approve = await Cli(["admin", "approvals", "approve", runId, "--reviewer", "dr.lee", "--notes", "Indemnity capped"]);
        CliAssert.Succeeds(approve);
        Assert.Contains($"run {runId} approved by dr.lee at step legal:1: the server resumes it", approve.Output, StringComparison.Ordinal);

        var trace = await WaitForStatusAsync(runId, "completed");
        Assert.Matches(@"sender:1\s+sender\s+commit", trace);
        Assert.Contains("approved by 'dr.lee': Indemnity capped", (await Cli(["trace", runId, "--export"])).Output, StringComparison.Ordinal);

        var again = await Cli(["admin", "approvals", "approve", runId, "--reviewer", "dr.lee"]);
        CliAssert.FailsWithOneLine(again, 1, $"Already decided: the pause of run '{runId}' was already approved by 'dr.lee'");
    }

    [Fact]
    public async Task A_rejection_ends_the_run_blocked()
    {
        var runId = await StartPausedRunAsync();

        var reject = await Cli(["admin", "approvals", "reject", runId, "--reviewer", "dr.lee", "--notes", "Uncapped indemnity"]);

        CliAssert.Succeeds(reject);
        Assert.Contains($"run {runId} rejected by dr.lee at step legal:1: it ends blocked (hitl_rejected)", reject.Output, StringComparison.Ordinal);
        await WaitForStatusAsync(runId, "blocked");
    }

    [Fact]
    public async Task Deciding_a_run_that_is_not_there_is_one_line()
    {
        var result = await Cli(["admin", "approvals", "approve", "run_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "--reviewer", "dr.lee"]);

        CliAssert.FailsWithOneLine(result, 1, "no run 'run_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee' (or not visible to this key)");
    }

    [Fact]
    public async Task Run_with_wait_follows_a_paused_run_through_its_approval_to_the_end()
    {
        using var folder = new TempDirectory();
        var workflow = TestWorkflows.Renamed(folder, "approvals/contract.yaml", TestWorkflows.UniqueName("contract"));
        await using var run = CliProcess.Start(["run", workflow, "--input", "A supplier contract", "--wait"], server.Environment,
            workingDirectory: folder.Path);
        var started = await run.WaitForLineAsync(line => line.StartsWith("run run_", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        var runId = RunIdPattern().Match(started).Value;
        await run.WaitForLineAsync(line => line.StartsWith("step legal:1 waits for a human", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        CliAssert.Succeeds(await Cli(["admin", "approvals", "approve", runId, "--reviewer", "dr.lee"]));

        await run.WaitForExitAsync(TestContext.Current.CancellationToken);
        var result = run.Result();
        CliAssert.Succeeds(result);
        Assert.Contains("step legal:1 approved by dr.lee", result.Output, StringComparison.Ordinal);
        Assert.Contains("step sender:1 commit", result.Output, StringComparison.Ordinal);
        Assert.Contains("completed · ", result.Output, StringComparison.Ordinal);
        Assert.Equal(runId, TestWorkflows.RunId(result));
        Assert.Contains("waiting for a reviewer's decision", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_c_while_waiting_for_a_decision_stops_waiting_and_leaves_the_run_paused()
    {
        using var folder = new TempDirectory();
        await using var run = CliProcess.Start(["run", TestWorkflows.Example("approvals/contract.yaml"), "--input", "x", "--wait"], server.Environment,
            interruptible: true, workingDirectory: folder.Path);
        var runId = RunIdPattern().Match(
            await run.WaitForLineAsync(line => line.StartsWith("run run_", StringComparison.Ordinal), TestContext.Current.CancellationToken)).Value;
        await run.WaitForLineAsync(line => line.StartsWith("step legal:1 waits for a human", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var exitCode = await run.InterruptAsync(TestContext.Current.CancellationToken);

        Assert.True(exitCode == 1, $"exit {exitCode}\n{run}");
        Assert.Contains($"error: run '{runId}' is paused at step legal:1", run.Error, StringComparison.Ordinal);
        var pending = await Cli(["admin", "approvals", "list"]);
        Assert.Contains(runId, pending.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agents_are_listed_with_their_did_and_a_revoked_agent_says_so()
    {
        using var folder = new TempDirectory();
        var name = TestWorkflows.UniqueName("triage");
        CliAssert.Succeeds(await Cli(["run", TestWorkflows.Renamed(folder, "triage.yaml", name)]));

        var list = await Cli(["admin", "agents", "list"]);
        CliAssert.Succeeds(list);
        var row = Assert.Single(list.Output.Split('\n'), line => line.Contains(name, StringComparison.Ordinal) && line.Contains(" triage ", StringComparison.Ordinal));
        var did = Did().Match(row).Value;
        Assert.StartsWith("did:key:z", did, StringComparison.Ordinal);

        var revoke = await Cli(["admin", "agents", "revoke", did, "--reason", "key leaked"]);
        CliAssert.Succeeds(revoke);
        Assert.Contains($"revoked {did} (agent triage of {name}): key leaked", revoke.Output, StringComparison.Ordinal);

        var after = await Cli(["admin", "agents", "list"]);
        Assert.Contains("revoked key leaked", Assert.Single(after.Output.Split('\n'), line => line.Contains(did, StringComparison.Ordinal)),
            StringComparison.Ordinal);

        var blocked = await Cli(["run", TestWorkflows.Renamed(folder, "triage.yaml", name)]);
        Assert.Contains("step triage:1 blocked (identity", blocked.Output, StringComparison.Ordinal);
        Assert.Equal(1, blocked.ExitCode);
    }

    [Fact]
    public async Task Revoking_something_that_is_not_a_did_is_the_servers_problem_on_one_line()
    {
        var result = await Cli(["admin", "agents", "revoke", "not-a-did", "--reason", "x"]);

        CliAssert.FailsWithOneLine(result, 1, "The request is invalid: 'not-a-did' is not an agent's DID");
    }

    [Fact]
    public async Task A_tenant_policy_is_set_from_yaml_and_read_back()
    {
        using var folder = new TempDirectory();
        var file = folder.File("tenant-policy.yaml");
        // A ceiling no test's run comes near, so the shared tenant's other runs are unaffected.
        await File.WriteAllTextAsync(file, "ceiling:\n  max_steps: 9000\n", TestContext.Current.CancellationToken);
        var reset = folder.File("reset.json");
        await File.WriteAllTextAsync(reset, "{}", TestContext.Current.CancellationToken);
        try
        {
            var set = await Cli(["admin", "policy", "set", "default", file]);
            CliAssert.Succeeds(set);

            var get = await Cli(["admin", "policy", "get", "default"]);
            CliAssert.Succeeds(get);
            using var policy = JsonDocument.Parse(get.Output);
            Assert.Equal(9000, policy.RootElement.GetProperty("ceiling").GetProperty("max_steps").GetInt32());
        }
        finally
        {
            CliAssert.Succeeds(await Cli(["admin", "policy", "set", "default", reset]));
        }

        var other = await Cli(["admin", "policy", "get", "someone-else"]);
        CliAssert.FailsWithOneLine(other, 1, "Tenant not found: no tenant 'someone-else' exists");
    }

    [Fact]
    public async Task A_policy_file_with_an_unknown_field_is_the_servers_one_line_answer()
    {
        using var folder = new TempDirectory();
        var file = folder.File("tenant-policy.yaml");
        await File.WriteAllTextAsync(file, "cieling:\n  max_steps: 10\n", TestContext.Current.CancellationToken);

        var result = await Cli(["admin", "policy", "set", "default", file]);

        CliAssert.FailsWithOneLine(result, 1, "The request is invalid: unknown field 'cieling'");
    }

    private Task<CliResult> Cli(string[] args) => server.RunAsync(args, cancellationToken: TestContext.Current.CancellationToken);

    private async Task<string> StartPausedRunAsync()
    {
        using var folder = new TempDirectory();
        var run = await server.RunAsync(["run", TestWorkflows.Example("approvals/contract.yaml"), "--input", "Indemnity for a supplier"], folder.Path,
            TestContext.Current.CancellationToken);
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("is paused at step legal:1", run.Error, StringComparison.Ordinal);
        return TestWorkflows.RunId(run);
    }

    // A run's status through the CLI's own trace, until it is the one expected (resumption happens on the server).
    private async Task<string> WaitForStatusAsync(string runId, string status)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var trace = await Cli(["trace", runId]);
            if (trace.Output.Contains($"· {status} ·", StringComparison.Ordinal))
            {
                return trace.Output;
            }

            Assert.True(deadline.Elapsed < TestTimeouts.Default, $"run {runId} did not become {status}\n{trace}");
            await Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        }
    }

    [GeneratedRegex(@"did:key:z[1-9A-HJ-NP-Za-km-z]+")]
    private static partial Regex Did();

    [GeneratedRegex("run_[0-9a-f]+")]
    private static partial Regex RunIdPattern();
}
