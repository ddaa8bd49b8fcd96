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
}
