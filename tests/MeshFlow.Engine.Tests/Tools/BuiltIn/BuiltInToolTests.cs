using MeshFlow.Execution;
using MeshFlow.Governance.Risk;
using MeshFlow.Tools.BuiltIn;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Tools.BuiltIn;

/// <summary>What every built-in tool gets from its base: the declared tier, the timeout, the output cap, registration by name.</summary>
public sealed class BuiltInToolTests
{
    [Fact]
    public async Task Output_over_the_cap_is_cut_and_says_how_much_was_cut()
    {
        var tool = new EchoTool(TimeSpan.FromSeconds(5), maxOutputChars: 200);

        var output = (string)(await tool.InvokeAsync(new AIFunctionArguments { ["text"] = new string('x', 5_000) }, TestContext.Current.CancellationToken))!;

        Assert.True(output.Length <= 200, $"{output.Length} characters");
        var kept = output.IndexOf('\n', StringComparison.Ordinal);
        Assert.Equal(new string('x', kept), output[..kept]);
        Assert.Equal($"\n[output truncated: 5,000 characters, the first {kept} shown]", output[kept..]);
        Assert.Equal("short", await tool.InvokeAsync(new AIFunctionArguments { ["text"] = "short" }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_call_past_its_timeout_fails_saying_so_and_a_cancelled_step_stays_cancelled()
    {
        var tool = new EchoTool(TimeSpan.FromMilliseconds(50), maxOutputChars: 200);

        var timedOut = await Assert.ThrowsAsync<BuiltInToolException>(async () =>
            await tool.InvokeAsync(new AIFunctionArguments { ["text"] = "x", ["hang"] = true }, TestContext.Current.CancellationToken));
        Assert.Equal("echo did not finish within 0.05 s and was stopped", timedOut.Message);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await tool.InvokeAsync(new AIFunctionArguments { ["text"] = "x", ["hang"] = true }, cancelled.Token));
    }

    [Fact]
    public async Task An_unexpected_failure_reaches_the_model_as_its_kind_only_never_its_message()
    {
        var tool = new EchoTool(TimeSpan.FromSeconds(5), maxOutputChars: 200);

        var failure = await Assert.ThrowsAsync<BuiltInToolException>(async () =>
            await tool.InvokeAsync(new AIFunctionArguments { ["text"] = "x", ["fail"] = true }, TestContext.Current.CancellationToken));

        Assert.Equal("echo failed unexpectedly (IOException)", failure.Message);
        Assert.Contains("/srv/secret-data", failure.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_built_in_tool_declares_its_tier_and_is_marked_built_in()
    {
        var tool = new EchoTool(TimeSpan.FromSeconds(1), 100);

        Assert.Equal(RiskTier.Low, ToolRisk.DeclaredBy(tool));
        Assert.Equal(true, tool.AdditionalProperties[BuiltInTool.BuiltInPropertyKey]);
        Assert.Equal("object", tool.JsonSchema.GetProperty("type").GetString());
    }

    [Fact]
    public void The_engine_offers_the_enabled_built_in_tools_by_name_and_a_registered_tool_of_the_same_name_wins()
    {
        var mine = AIFunctionFactory.Create(() => "mine", "calculator");
        var options = new MeshFlowEngineOptions();
        options.Tools.Add(mine);
        options.BuiltInTools.Enabled.Clear();
        options.BuiltInTools.Enabled.UnionWith(["calculator", "json_query"]);

        var engine = new MeshFlowEngine(options);

        Assert.Same(mine, engine.FindTool("calculator"));
        Assert.IsAssignableFrom<BuiltInTool>(engine.FindTool("json_query"));
        Assert.Null(engine.FindTool("python_repl"));
        Assert.All(BuiltInToolNames.All, name => Assert.NotNull(new MeshFlowEngine().FindTool(name)));
    }

    [Theory]
    [InlineData("acme", "run_1", "acme/run_1")]
    [InlineData("../etc", "run_1", null)]
    [InlineData("acme", "/abs", null)]
    [InlineData("acme", "..", null)]
    [InlineData(".hidden", "a\0b", null)]
    [InlineData("acme", "id-0123456789abcdef01234567", null)]
    public void A_runs_workspace_is_one_folder_per_id_and_no_id_names_a_parent_or_an_absolute_path(string tenant, string run, string? plain)
    {
        var root = Path.Combine(Path.GetTempPath(), "ws-root");

        var folder = WorkspacePaths.RunFolder(root, new ToolInvocation(tenant, run));

        Assert.StartsWith(root + Path.DirectorySeparatorChar, folder, StringComparison.Ordinal);
        Assert.Equal(2, Path.GetRelativePath(root, folder).Split(Path.DirectorySeparatorChar).Length);
        Assert.DoesNotContain("..", folder, StringComparison.Ordinal);
        if (plain is not null)
        {
            Assert.Equal(Path.Combine(root, plain), folder);
        }
    }

    [Fact]
    public void An_id_shaped_like_a_hashed_folder_name_is_hashed_too_so_it_cannot_take_another_ids_folder()
    {
        var hashed = WorkspacePaths.FolderName("../tenant-a");

        Assert.StartsWith("id-", hashed, StringComparison.Ordinal);
        Assert.NotEqual(hashed, WorkspacePaths.FolderName(hashed));
        Assert.StartsWith("id-", WorkspacePaths.FolderName(hashed), StringComparison.Ordinal);
    }

    private sealed class EchoTool(TimeSpan timeout, int maxOutputChars) : BuiltInTool("echo", "Echoes its text.",
        """{"type":"object","properties":{"text":{"type":"string"},"hang":{"type":"boolean"},"fail":{"type":"boolean"}},"required":["text"]}""",
        RiskTier.Low, timeout, maxOutputChars)
    {
        protected override async ValueTask<string> RunAsync(ToolArguments arguments, ToolInvocation invocation, CancellationToken cancellationToken)
        {
            if (arguments.Value("fail") is true)
            {
                throw new IOException("disk full writing /srv/secret-data/ledger.db");
            }

            if (arguments.Value("hang") is true)
            {
                await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
            }

            return arguments.RequiredString("text");
        }
    }
}
