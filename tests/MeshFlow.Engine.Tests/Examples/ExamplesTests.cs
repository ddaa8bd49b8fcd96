using MeshFlow.Examples;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Runs;

namespace MeshFlow.Tests.Examples;

/// <summary>Every example under examples/ runs in CI, so the README's examples stay true.</summary>
public sealed class ExamplesTests
{
    private static string ExamplesDirectory => Path.Combine(AppContext.BaseDirectory, "examples");

    public static TheoryData<string> YamlExamples() =>
        [.. Directory.GetFiles(ExamplesDirectory, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(YamlExamples))]
    public async Task Every_yaml_example_loads_and_runs_to_completion(string file)
    {
        using var output = new StringWriter();

        var result = await QuickStartExample.RunFromYamlAsync(Path.Combine(ExamplesDirectory, file), "Acquire Contoso Ltd", output)
            .WaitAsync(Support.TestTimeouts.Default);

        Assert.True(result.Status == RunStatus.Completed, $"{file}: {result.Status} {result.Error?.Message}");
        Assert.NotEmpty(result.Output);
    }

    [Fact]
    public async Task The_review_example_loops_until_the_critic_approves_on_its_third_review()
    {
        using var output = new StringWriter();

        var result = await QuickStartExample.RunFromYamlAsync(Path.Combine(ExamplesDirectory, "review.yaml"), "NDA", output);

        Assert.Equal(6, result.Steps.Count);
        Assert.StartsWith("[offline model]", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rag_example_retrieves_the_leave_page_first_and_hands_it_to_the_agent_numbered()
    {
        using var output = new StringWriter();

        var result = await RagExample.RunAsync(output).WaitAsync(Support.TestTimeouts.Default);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.StartsWith("[1] leave.md (document leave", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("[1] leave.md, chunk 1:", result.Steps.Single(s => s.NodeId == "answer").InputTask, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_csharp_quick_start_streams_tokens_and_completes()
    {
        using var output = new StringWriter();

        var result = await QuickStartExample.RunFromCSharpAsync(output).WaitAsync(Support.TestTimeouts.Default);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Contains("[writer:2]", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Completed after 4 steps", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ledger_quick_start_records_verifies_reads_back_and_replays_a_run()
    {
        var folder = Path.Combine(Path.GetTempPath(), "meshflow-quickstart-" + Guid.NewGuid().ToString("N"));
        using var output = new StringWriter();
        try
        {
            var (result, verification, replay, writerOutput) = await QuickStartExample.RunWithLedgerAsync(folder, output)
                .WaitAsync(Support.TestTimeouts.Default);

            Assert.Equal(RunStatus.Completed, result.Status);
            Assert.True(verification.Valid, verification.Detail);
            Assert.Equal(8, verification.Records);
            Assert.True(replay.Identical, replay.Detail);
            Assert.Equal(result.Steps[0].Output, writerOutput);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_governed_quick_start_blocks_a_destructive_command_and_a_tool_outside_the_policy_and_the_tool_never_runs()
    {
        using var output = new StringWriter();

        var (destructive, notAllowed, shellRuns) = await QuickStartExample.RunGovernedAsync(output).WaitAsync(Support.TestTimeouts.Default);

        Assert.Equal(0, shellRuns);
        Assert.Equal(RunStatus.Blocked, destructive.Status);
        var critical = Assert.Single(destructive.Steps);
        Assert.Equal((Verdict.Blocked, BlockReason.Dasc), (critical.Verdict, critical.BlockReason));
        Assert.Equal((RiskTier.Critical, RiskRuleIds.ShellDestructive, "shell"), (critical.Risk!.Tier, critical.Risk.Rule, critical.Risk.Action));
        Assert.StartsWith("not run", Assert.Single(critical.ToolCalls).Result, StringComparison.Ordinal);

        Assert.Equal(RunStatus.Blocked, notAllowed.Status);
        var refused = Assert.Single(notAllowed.Steps);
        Assert.Equal((Verdict.Blocked, BlockReason.Identity), (refused.Verdict, refused.BlockReason));
        Assert.Contains("tool 'shell' is not among the capabilities", refused.BlockDetail, StringComparison.Ordinal);
        Assert.StartsWith("not run", Assert.Single(refused.ToolCalls).Result, StringComparison.Ordinal);
        Assert.Equal(critical.AgentDid, refused.AgentDid);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("operator:1: blocked (dasc), risk critical (shell_destructive)", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("operator:1: blocked (identity)", lines[1], StringComparison.Ordinal);
        Assert.Equal("shell ran 0 times", lines[2]);
    }

    [Fact]
    public async Task The_guarded_quick_start_blocks_an_injected_instruction_and_scrubs_what_a_hipaa_run_records()
    {
        using var output = new StringWriter();

        var (injected, shellRuns, scrubbed) = await GuardedExample.RunAsync(output).WaitAsync(Support.TestTimeouts.Default);

        Assert.Equal(0, shellRuns);
        Assert.Equal(RunStatus.Blocked, injected.Status);
        var step = Assert.Single(injected.Steps);
        Assert.Equal((Verdict.Blocked, BlockReason.Guardian), (step.Verdict, step.BlockReason));
        Assert.Contains("injection signal", step.BlockDetail, StringComparison.Ordinal);
        Assert.Contains("[PHI-REDACTED:SSN]", scrubbed, StringComparison.Ordinal);
        Assert.DoesNotContain("123-45-6789", scrubbed, StringComparison.Ordinal);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("researcher:1: blocked (guardian): guardian: injection signal", lines[0], StringComparison.Ordinal);
        Assert.Equal("shell ran 0 times", lines[1]);
        Assert.StartsWith("summarizer:1 as recorded: [offline model]", lines[2], StringComparison.Ordinal);
    }
}
