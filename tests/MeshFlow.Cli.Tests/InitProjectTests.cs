using System.Text.RegularExpressions;
using MeshFlow.Cli.Tests.Support;

namespace MeshFlow.Cli.Tests;

/// <summary>A project made by <c>meshflow init</c>, taken through the commands its README names, as a user would.</summary>
public sealed partial class InitProjectTests
{
    [Theory]
    [InlineData("legal")]
    [InlineData("research")]
    [InlineData("coding")]
    public async Task A_new_project_validates_runs_with_its_policy_and_its_run_verifies(string template)
    {
        using var folder = new TempDirectory();
        var project = Path.Combine(folder.Path, "project");
        var cancel = TestContext.Current.CancellationToken;

        CliAssert.Succeeds(await MeshFlowCli.RunAsync(["init", "--template", template, project], cancellationToken: cancel));
        var validate = await MeshFlowCli.RunAsync(["validate", "workflow.yaml"], project, cancellationToken: cancel);
        var run = await MeshFlowCli.RunAsync(["run", "workflow.yaml", "--policy", "policy.yaml", "--input", "A first run"], project, cancellationToken: cancel);

        CliAssert.Succeeds(validate);
        Assert.Contains("workflow.yaml: valid", validate.Output, StringComparison.Ordinal);
        CliAssert.Succeeds(run);
        var runId = RunIdLine().Match(run.Output).Groups["id"].Value;
        Assert.NotEmpty(runId);

        // The run was recorded in the project's own ledger (./.meshflow), and its evidence verifies with the pinned key.
        Assert.True(Directory.Exists(Path.Combine(project, ".meshflow")));
        var export = await MeshFlowCli.RunAsync(["export", runId], project, cancellationToken: cancel);
        CliAssert.Succeeds(export);
        await File.WriteAllTextAsync(Path.Combine(project, "bundle.json"), export.Output, cancel);
        var key = await MeshFlowCli.RunAsync(["admin", "keys", "ledger"], project, cancellationToken: cancel);
        CliAssert.Succeeds(key);
        await File.WriteAllTextAsync(Path.Combine(project, "ledger.pub"), key.Output, cancel);
        var verify = await MeshFlowCli.RunAsync(["verify", "bundle.json", "--public-key", "ledger.pub"], project, cancellationToken: cancel);
        CliAssert.Succeeds(verify);
        Assert.StartsWith("valid: ", verify.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^run_id: (?<id>run_[0-9a-f]+)$", RegexOptions.Multiline)]
    private static partial Regex RunIdLine();
}
