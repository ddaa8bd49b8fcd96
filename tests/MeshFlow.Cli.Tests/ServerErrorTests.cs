using MeshFlow.Cli.Tests.Support;

namespace MeshFlow.Cli.Tests;

/// <summary>How a server's refusals read: one line each, a non-zero exit, no stack trace.</summary>
[Collection(SharedServer.Name)]
public sealed class ServerErrorTests(ServerFixture server)
{
    [Fact]
    public async Task A_wrong_key_is_one_line_saying_how_to_pass_the_right_one()
    {
        var result = await MeshFlowCli.RunAsync(["runs", "--url", server.Url, "--api-key", "not-the-key"],
            cancellationToken: TestContext.Current.CancellationToken);

        CliAssert.FailsWithOneLine(result, 3, "the server refused the API key: pass --api-key or set MESHFLOW_API_KEY");
    }

    [Fact]
    public async Task No_key_at_all_says_where_one_comes_from()
    {
        var result = await MeshFlowCli.RunAsync(["runs", "--url", server.Url], cancellationToken: TestContext.Current.CancellationToken);

        CliAssert.FailsWithOneLine(result, 3, "the server needs an API key: pass --api-key or set MESHFLOW_API_KEY");
    }

    [Fact]
    public async Task An_unknown_run_is_one_line_naming_it()
    {
        var trace = await server.RunAsync(["trace", "run_ffffffffffffffffffffffffffffffff"], cancellationToken: TestContext.Current.CancellationToken);
        var step = await server.RunAsync(["trace", "run_ffffffffffffffffffffffffffffffff", "--step", "writer:1"],
            cancellationToken: TestContext.Current.CancellationToken);

        CliAssert.FailsWithOneLine(trace, 1, "no run 'run_ffffffffffffffffffffffffffffffff' (or not visible to this key)");
        CliAssert.FailsWithOneLine(step, 1, "no run 'run_ffffffffffffffffffffffffffffffff' (or not visible to this key)");
    }

    [Fact]
    public async Task An_unknown_run_with_verbose_shows_the_stack_trace()
    {
        var result = await server.RunAsync(["trace", "run_ffffffffffffffffffffffffffffffff", "--verbose"],
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: no run 'run_ffffffffffffffffffffffffffffffff'", result.Error, StringComparison.Ordinal);
        Assert.Contains("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_given_with_a_server_is_ignored_with_a_warning()
    {
        var result = await server.RunAsync(["runs", "--tenant", "acme", "--limit", "1"], cancellationToken: TestContext.Current.CancellationToken);

        CliAssert.Succeeds(result);
        Assert.Contains("warning: --tenant is ignored with --url: a server derives the tenant from the API key", result.Error, StringComparison.Ordinal);
    }
}
