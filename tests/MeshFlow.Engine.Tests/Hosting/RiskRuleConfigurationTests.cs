using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Hosting;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFlow.Tests.Hosting;

public sealed class RiskRuleConfigurationTests
{
    private static async Task<RunResult> WriteAsync(IReadOnlyDictionary<string, string?> settings, string path, string url)
    {
        var tool = new CountingTool("save_file");
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddMeshFlowEngine()
            .BuildServiceProvider();
        var workflow = new WorkflowBuilder("writer")
            .AddNode(new AgentNode("w")
            {
                ChatClient = ToolCallingModel.Calling("save_file", new Dictionary<string, object?> { ["path"] = path, ["source_url"] = url }),
                Tools = [tool.Function.WithRisk(RiskTier.Low)],
            })
            .WithPolicy(Policy.ForMode(PolicyModes.Strict))
            .Build();
        return await services.GetRequiredService<MeshFlowEngine>().RunAsync(workflow, "x");
    }

    [Fact]
    public async Task The_workspace_and_allowed_hosts_a_host_configures_are_where_tools_may_write_and_reach()
    {
        var workspace = Path.Combine(Path.GetTempPath(), "meshflow-workspace");
        var configured = new Dictionary<string, string?>
        {
            [MeshFlowServiceCollectionExtensions.WorkspaceDirectoryKey] = workspace,
            [MeshFlowServiceCollectionExtensions.AllowedHostsKey] = "example.com, docs.contoso.com",
        };

        var inside = await WriteAsync(configured, Path.Combine(workspace, "notes.txt"), "https://api.example.com/data");
        var outside = await WriteAsync(configured, "/etc/notes.txt", "https://api.example.com/data");
        var unlisted = await WriteAsync(configured, Path.Combine(workspace, "notes.txt"), "https://evil.test/data");
        var unconfigured = await WriteAsync(new Dictionary<string, string?>(), Path.Combine(workspace, "notes.txt"), "https://api.example.com/data");

        Assert.Equal(RunStatus.Completed, inside.Status);
        Assert.Equal((RiskTier.Low, RiskRuleIds.Declared), (inside.Steps[0].Risk!.Tier, inside.Steps[0].Risk!.Rule));
        Assert.Equal(RunStatus.Paused, outside.Status);
        Assert.Equal(RiskRuleIds.WriteOutsideScratch, outside.Steps[0].Risk!.Rule);
        Assert.Equal(RunStatus.Paused, unlisted.Status);
        Assert.Equal(RiskRuleIds.HostNotAllowed, unlisted.Steps[0].Risk!.Rule);
        Assert.Equal(RunStatus.Paused, unconfigured.Status);
    }
}
