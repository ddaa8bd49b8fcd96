namespace MeshFlow.Cli.Tests.Support;

/// <summary>What every failing command must look like: a non-zero exit and one <c>error:</c> line, never a stack trace.</summary>
internal static class CliAssert
{
    /// <summary>Asserts the exit code and that standard error is exactly one <c>error:</c> line containing <paramref name="expected"/>.</summary>
    public static void FailsWithOneLine(CliResult result, int exitCode, string expected)
    {
        Assert.True(result.ExitCode == exitCode, $"expected exit {exitCode}\n{result}");
        var lines = ErrorLines(result);
        Assert.True(lines.Length == 1, $"expected one line on stderr\n{result}");
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        NoStackTrace(result);
    }

    public static void NoStackTrace(CliResult result)
    {
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Error, StringComparison.Ordinal);
    }

    public static void Succeeds(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    public static string[] ErrorLines(CliResult result) =>
        result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
