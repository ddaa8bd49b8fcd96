using MeshFlow.Cli.Tests.Support;

namespace MeshFlow.Cli.Tests;

public sealed class CliBasicsTests
{
    [Fact]
    public async Task Help_lists_every_command()
    {
        var result = await MeshFlowCli.RunAsync(["--help"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var command in new[] { "run", "serve", "dev", "runs", "trace", "validate", "init", "export", "verify", "admin" })
        {
            Assert.Contains($"  {command} ", result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unknown_command_is_one_parse_error_and_a_pointer_to_the_help_not_the_whole_help()
    {
        var result = await MeshFlowCli.RunAsync(["rnu", "x.yaml"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error: Unrecognized command or argument 'rnu'", result.Error, StringComparison.Ordinal);
        Assert.Contains("see 'meshflow --help'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_option_of_a_subcommand_points_to_that_subcommands_help()
    {
        var result = await MeshFlowCli.RunAsync(["runs", "--limit", "0"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(["error: --limit must be from 1 to 500", "see 'meshflow runs --help'"], CliAssert.ErrorLines(result));
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_one_line_saying_how_to_start_one()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";

        var result = await MeshFlowCli.RunAsync(["runs", "--url", url], cancellationToken: TestContext.Current.CancellationToken);

        CliAssert.FailsWithOneLine(result, 3, $"cannot reach the MeshFlow server at {url}");
        Assert.Contains("start one with 'meshflow serve' or pass --url", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_adds_the_stack_trace_to_the_error_line()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";

        var result = await MeshFlowCli.RunAsync(["runs", "--url", url, "--verbose"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.StartsWith($"error: cannot reach the MeshFlow server at {url}", result.Error, StringComparison.Ordinal);
        Assert.Contains("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_url_that_is_not_http_is_a_usage_error()
    {
        var result = await MeshFlowCli.RunAsync(["runs", "--url", "localhost:5180"], cancellationToken: TestContext.Current.CancellationToken);

        CliAssert.FailsWithOneLine(result, 2, "--url 'localhost:5180' is not an http:// or https:// address");
    }

    [Fact]
    public async Task Admin_commands_other_than_keys_say_they_need_a_server()
    {
        var result = await MeshFlowCli.RunAsync(["admin", "approvals", "list"], cancellationToken: TestContext.Current.CancellationToken);

        CliAssert.FailsWithOneLine(result, 2, "'meshflow admin approvals list' asks a MeshFlow server: pass --url");
    }

    [Fact]
    public async Task A_group_command_alone_shows_its_help()
    {
        var result = await MeshFlowCli.RunAsync(["admin"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 2, result.ToString());
        foreach (var command in new[] { "keys", "agents", "policy", "approvals" })
        {
            Assert.Contains($"  {command} ", result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Reading_runs_from_a_folder_without_a_ledger_names_the_folder_and_leaves_nothing_behind()
    {
        using var folder = new TempDirectory();
        var data = folder.File("nothing-here");

        var result = await MeshFlowCli.RunAsync(["trace", "run_0123", "--data-dir", data], cancellationToken: TestContext.Current.CancellationToken);

        CliAssert.FailsWithOneLine(result, 1, $"no embedded ledger in {data}");
        Assert.False(Directory.Exists(data));
    }
}
