using System.Text.RegularExpressions;

namespace MeshFlow.Cli.Tests.Support;

/// <summary>The repository's example workflows, and copies of them under a test's own name.</summary>
internal static partial class TestWorkflows
{
    public static string Example(string relative) => Path.Combine(MeshFlowCli.RepositoryRoot, "examples", relative);

    /// <summary>
    /// A copy of an example named <paramref name="name"/>: runs of it are the test's own, so a filter by workflow, or an
    /// agent identity (one per workflow and node), is unaffected by other tests on a shared server.
    /// </summary>
    public static string Renamed(TempDirectory folder, string example, string name)
    {
        var path = folder.File($"{name}.yaml");
        File.WriteAllText(path, NameLine().Replace(File.ReadAllText(Example(example)), $"name: {name}"));
        return path;
    }

    /// <summary>A workflow name no other test uses.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>The run id a <c>meshflow run</c> printed on its <c>run_id:</c> line.</summary>
    public static string RunId(CliResult result)
    {
        var match = RunIdLine().Match(result.Output);
        Assert.True(match.Success, $"no run_id line\n{result}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("^name: .*$", RegexOptions.Multiline)]
    private static partial Regex NameLine();

    [GeneratedRegex("^run_id: (run_[0-9a-f]+)\\r?$", RegexOptions.Multiline)]
    private static partial Regex RunIdLine();
}
