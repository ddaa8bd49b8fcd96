using MeshFlow.Tools.BuiltIn;
using MeshFlow.Tools.Sandbox;

namespace MeshFlow.Tests.Tools.Sandbox;

public sealed class ShellCommandLineTests
{
    [Theory]
    [InlineData("ls -l", new[] { "ls", "-l" })]
    [InlineData("  echo \t a\nb  ", new[] { "echo", "a", "b" })]
    [InlineData("echo '' b", new[] { "echo", "", "b" })]
    [InlineData("echo \"a\"'b'c", new[] { "echo", "abc" })]
    [InlineData("echo a\\ b", new[] { "echo", "a b" })]
    [InlineData("echo a\\\nb", new[] { "echo", "ab" })]
    [InlineData("echo \"\\$x \\a \\\\ \\`\"", new[] { "echo", "$x \\a \\ `" })]
    [InlineData("echo 'it''s'", new[] { "echo", "its" })]
    [InlineData("grep -e 'a b' \"c d\"", new[] { "grep", "-e", "a b", "c d" })]
    [InlineData("echo a;b&&c|d>e<f", new[] { "echo", "a;b&&c|d>e<f" })]
    public void A_command_line_splits_as_a_posix_shell_quotes(string command, string[] expected)
    {
        Assert.Equal(expected, ShellCommandLine.Split(command));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("echo 'a")]
    [InlineData("echo \"a")]
    [InlineData("echo a\\")]
    [InlineData("echo a\0b")]
    public void A_line_that_does_not_split_is_refused(string command)
    {
        Assert.Throws<BuiltInToolException>(() => ShellCommandLine.Split(command));
    }

    [Theory]
    [InlineData("sort", "-k 2 -t , -n data.csv")]
    [InlineData("sort", "-ko data.csv")]
    [InlineData("date", "-Iseconds")]
    [InlineData("date", "-u -d @0 +%s")]
    [InlineData("cut", "-d , -f 1 data.csv")]
    [InlineData("uniq", "-c -f 1 data.csv")]
    [InlineData("grep", "-o -c --color=never x data.csv")]
    [InlineData("ls", "--sort=time -la")]
    public void Reading_options_are_allowed(string program, string arguments)
    {
        ShellArgumentRules.Check(program, arguments.Split(' '));
    }

    [Theory]
    [InlineData("sort", "-no out data.csv")]
    [InlineData("sort", "--o=out")]
    [InlineData("sort", "--comp=gzip")]
    [InlineData("date", "-us 2020-01-01")]
    [InlineData("date", "--se 2020-01-01")]
    [InlineData("find", "-okdir id ;")]
    [InlineData("find", "-fprintf out %p")]
    [InlineData("find", "-fls out")]
    [InlineData("uniq", "-f 1 in out")]
    [InlineData("cut", "--output-delimiter=x -f 1")]
    [InlineData("tee", "out")]
    [InlineData("xargs", "id")]
    [InlineData("env", "id")]
    [InlineData("awk", "BEGIN{system(\"id\")}")]
    public void Options_that_write_or_run_programs_are_refused(string program, string arguments)
    {
        Assert.Throws<BuiltInToolException>(() => ShellArgumentRules.Check(program, arguments.Split(' ')));
    }
}
