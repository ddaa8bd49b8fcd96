using MeshFlow.Cli.Tests.Support;

namespace MeshFlow.Cli.Tests;

/// <summary>A policy file (<c>run --policy</c>, <c>admin policy set</c>) that could cost unbounded time or memory to read is refused in one line.</summary>
public sealed class PolicyFileTests
{
    [Fact]
    public async Task A_policy_nested_past_the_bound_is_refused_at_the_level_that_crosses_it()
    {
        using var folder = new TempDirectory();
        await File.WriteAllTextAsync(folder.File("deep.yaml"), new string('[', 200_000), TestContext.Current.CancellationToken);

        var result = await RunWithPolicyAsync(folder, "deep.yaml");

        CliAssert.FailsWithOneLine(result, 1, "deep.yaml:1:65: nesting deeper than 64 levels");
    }

    [Fact]
    public async Task A_policy_of_aliases_that_double_at_every_level_is_refused_at_its_first_anchor()
    {
        using var folder = new TempDirectory();
        var lines = new List<string> { "a0: &a0 [x, x]" };
        lines.AddRange(Enumerable.Range(1, 30).Select(i => $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]"));
        await File.WriteAllLinesAsync(folder.File("laughs.yaml"), lines, TestContext.Current.CancellationToken);

        var result = await RunWithPolicyAsync(folder, "laughs.yaml");

        CliAssert.FailsWithOneLine(result, 1, "laughs.yaml:1:5: anchors and aliases are not supported here");
    }

    [Fact]
    public async Task A_plain_policy_file_is_the_runs_policy()
    {
        using var folder = new TempDirectory();
        await File.WriteAllTextAsync(folder.File("policy.yaml"), "mode: strict\nmax_steps: 2\n", TestContext.Current.CancellationToken);

        var result = await RunWithPolicyAsync(folder, "policy.yaml");

        // The review loop needs more than two steps: the policy's step budget blocks it.
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("budget", result.Output + result.Error, StringComparison.Ordinal);
    }

    private static Task<CliResult> RunWithPolicyAsync(TempDirectory folder, string policy) =>
        MeshFlowCli.RunAsync(["run", Path.Combine(MeshFlowCli.RepositoryRoot, "examples", "review.yaml"), "--input", "x", "--policy", policy, "--data-dir", folder.File("data")],
            folder.Path, cancellationToken: TestContext.Current.CancellationToken);
}
