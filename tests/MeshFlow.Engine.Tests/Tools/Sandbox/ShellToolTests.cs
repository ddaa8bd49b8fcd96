using MeshFlow.Governance.Risk;

namespace MeshFlow.Tests.Tools.Sandbox;

/// <summary>The shell corpus with the real bubblewrap: metacharacters are literal, injections and other programs refused.</summary>
[Collection(nameof(OneSandboxAtATime))]
public sealed class ShellToolTests : IDisposable
{
    private readonly SandboxTestRun _run = new("ls", "cat", "echo", "wc", "sort", "find", "date", "uniq", "grep", "tail");

    public void Dispose() => _run.Dispose();

    [Theory]
    [InlineData("echo a; cat /etc/passwd", "a; cat /etc/passwd\n")]
    [InlineData("echo a && id", "a && id\n")]
    [InlineData("echo a | wc", "a | wc\n")]
    [InlineData("echo $(id)", "$(id)\n")]
    [InlineData("echo `id`", "`id`\n")]
    [InlineData("echo a > /scratch/x", "a > /scratch/x\n")]
    [InlineData("echo * ~ $HOME", "* ~ $HOME\n")]
    [InlineData("echo 'single $(id)' \"double `id` \\\"q\\\"\" back\\ slash", "single $(id) double `id` \"q\" back slash\n")]
    public async Task Metacharacters_are_literal_arguments_of_the_one_program(string command, string expected)
    {
        Assert.Equal(expected, await _run.ShellAsync(command));
        _run.AssertNothingLeftRunning();
    }

    [Fact]
    public async Task A_redirection_from_a_file_is_an_argument_and_nothing_is_read()
    {
        var result = await _run.ShellAsync("cat < /etc/shadow");

        Assert.Contains("cat: '<': No such file or directory", result, StringComparison.Ordinal);
        Assert.Contains("cat: /etc/shadow: No such file or directory", result, StringComparison.Ordinal);
        Assert.EndsWith("[exit code 1]", result, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", result, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sort -o /scratch/out x")]
    [InlineData("sort -uo/scratch/out x")]
    [InlineData("sort --output=x")]
    [InlineData("sort --out=x")]
    [InlineData("sort --compress-program=sh x")]
    [InlineData("find . -exec cat {} ;")]
    [InlineData("find . -execdir id ;")]
    [InlineData("find . -delete")]
    [InlineData("find . -fprint /scratch/list")]
    [InlineData("date -s 2020-01-01")]
    [InlineData("date --set=2020-01-01")]
    [InlineData("uniq in.txt /scratch/out.txt")]
    [InlineData("grep --output=x a")]
    public async Task Argument_injections_are_refused(string command)
    {
        var message = await SandboxTestRun.FailureAsync(() => _run.ShellAsync(command));

        Assert.Contains("is refused", message, StringComparison.Ordinal);
        _run.AssertNothingLeftRunning();
    }

    [Theory]
    [InlineData("rm -rf /workspace")]
    [InlineData("/bin/sh -c id")]
    [InlineData("bash -c id")]
    [InlineData("python3 -c print(1)")]
    [InlineData("/usr/bin/cat /etc/passwd")]
    [InlineData("../bin/ls")]
    public async Task A_program_off_the_allow_list_is_refused_naming_the_list(string command)
    {
        var message = await SandboxTestRun.FailureAsync(() => _run.ShellAsync(command));

        Assert.Contains("is not an allowed program; allowed: ls, cat, echo", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo 'open")]
    [InlineData("echo \"open")]
    [InlineData("echo end\\")]
    public async Task An_unterminated_quote_is_an_error(string command)
    {
        var message = await SandboxTestRun.FailureAsync(() => _run.ShellAsync(command));

        Assert.StartsWith("shell: ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ls_of_the_workspace_lists_it_and_it_is_the_working_directory()
    {
        _run.WriteWorkspaceFile("report.txt", "one\ntwo\nthree\n");
        _run.WriteWorkspaceFile("data.csv", "a\n");

        Assert.Equal("data.csv\nreport.txt\n", await _run.ShellAsync("ls /workspace"));
        Assert.Equal("3 report.txt\n", await _run.ShellAsync("wc -l report.txt"));
        Assert.Equal("one\nthree\ntwo\n", await _run.ShellAsync("sort report.txt"));
        _run.AssertNothingLeftRunning();
    }

    [Fact]
    public async Task Without_a_workspace_the_working_directory_is_scratch()
    {
        Assert.Equal(string.Empty, await _run.ShellAsync("ls"));
        Assert.Equal(".\n", await _run.ShellAsync("find . -name . -o -name y"));
        Assert.Equal("1970\n", await _run.ShellAsync("date -u -d @0 +%Y"));
    }

    [Fact]
    public async Task A_program_that_never_ends_is_stopped_at_the_shell_limit()
    {
        _run.WriteWorkspaceFile("app.log", "line\n");

        var message = await SandboxTestRun.FailureAsync(() => _run.ShellAsync("tail -f app.log"));

        Assert.StartsWith("shell: the program ran past its 10 s limit and was stopped", message, StringComparison.Ordinal);
        _run.AssertNothingLeftRunning();
    }

    [Fact]
    public void The_tool_declares_medium_risk_and_names_its_programs()
    {
        Assert.Equal(RiskTier.Medium, _run.Shell.Risk);
        Assert.Contains("ls, cat, echo", _run.Shell.Description, StringComparison.Ordinal);
        Assert.False(_run.Shell.JsonSchema.GetProperty("additionalProperties").GetBoolean());
    }
}
