using System.Text.RegularExpressions;
using MeshFlow.Cli.Tests.Support;

namespace MeshFlow.Cli.Tests;

public sealed class ValidateCommandTests
{
    [Fact]
    public async Task A_valid_workflow_gets_a_one_line_summary_and_exit_0()
    {
        var path = TestWorkflows.Example("review.yaml");

        var result = await MeshFlowCli.RunAsync(["validate", path], cancellationToken: TestContext.Current.CancellationToken);

        CliAssert.Succeeds(result);
        Assert.Equal($"{path}: valid: workflow 'review', 2 nodes, 2 edges (1 loop), policy standard", result.Output.Trim());
    }

    [Fact]
    public async Task Every_problem_of_an_invalid_workflow_is_reported_at_its_line_and_column_with_exit_1()
    {
        using var folder = new TempDirectory();
        var path = folder.File("broken.yaml");
        await File.WriteAllTextAsync(path, """
            name: broken
            nodes:
              - id: a
                kind: bogus
            edges:
              - from: a
                to: b
            """, TestContext.Current.CancellationToken);

        var result = await MeshFlowCli.RunAsync(["validate", path], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Collection(lines,
            kind => Assert.Matches($"^{Regex.Escape(path)}:4:\\d+: unknown node kind 'bogus'", kind),
            edge => Assert.Matches($"^{Regex.Escape(path)}:7:\\d+: edge 'a->b' refers to unknown node 'b'", edge));
        Assert.Contains("2 problems", result.Error, StringComparison.Ordinal);
        CliAssert.NoStackTrace(result);
    }

    public static TheoryData<string, byte[]> NotWorkflows => new()
    {
        { "photo.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01] },
        { "list.json", "[1, 2, 3]"u8.ToArray() },
        { "empty.yaml", [] },
        { "latin1.yaml", [0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x20, 0xE9, 0x74, 0xE9] },
        { "scalar.yaml", "just a sentence"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(NotWorkflows))]
    public async Task A_file_that_is_not_a_workflow_gets_a_problem_never_a_crash(string name, byte[] content)
    {
        using var folder = new TempDirectory();
        var path = folder.File(name);
        await File.WriteAllBytesAsync(path, content, TestContext.Current.CancellationToken);

        var result = await MeshFlowCli.RunAsync(["validate", path], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith($"{path}:", result.Output, StringComparison.Ordinal);
        Assert.Contains("not a valid workflow", result.Error, StringComparison.Ordinal);
        CliAssert.NoStackTrace(result);
    }

    [Fact]
    public async Task A_missing_file_is_a_problem_of_its_own()
    {
        using var folder = new TempDirectory();
        var path = folder.File("missing.yaml");

        var result = await MeshFlowCli.RunAsync(["validate", path], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal($"{path}: does not exist", result.Output.Trim());
    }
}
