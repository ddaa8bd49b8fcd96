using MeshFlow.Declarative;
using MeshFlow.Execution;
using MeshFlow.Runs;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tests.Examples;

/// <summary>examples/tools/data.yaml: the CSV saved to the run's workspace, totalled by python_repl in its sandbox.</summary>
public sealed class DataExampleTests : IDisposable
{
    private readonly string _workspace = Path.Combine(Path.GetTempPath(), "meshflow-data-example-" + Guid.NewGuid().ToString("N"));

    private static string ToolsDirectory => Path.Combine(AppContext.BaseDirectory, "examples", "tools");

    [Fact]
    public async Task The_data_example_saves_the_csv_in_the_runs_workspace_and_totals_it_in_python()
    {
        var options = new MeshFlowEngineOptions();
        options.BuiltInTools.WorkspaceDirectory = _workspace;
        var engine = new MeshFlowEngine(options);
        var csv = await File.ReadAllTextAsync(Path.Combine(ToolsDirectory, "sales.csv"), TestContext.Current.CancellationToken);

        var result = await engine.RunAsync(WorkflowYaml.LoadFile(Path.Combine(ToolsDirectory, "data.yaml")), csv,
            new RunOptions { TenantId = "acme", RunId = "run_data_example" }, TestContext.Current.CancellationToken).WaitAsync(Support.TestTimeouts.Default);

        Assert.True(result.Status == RunStatus.Completed, $"{result.Status}: {result.Error?.Message}");
        Assert.Equal(["write_file", "python_repl"], result.Steps.SelectMany(s => s.ToolCalls).Select(c => c.Name));
        Assert.Equal("South: 1908.00\nEast: 1869.00\nNorth: 1236.50\nWest: 903.00\nTotal: 5916.50", result.Outputs["totals"].Trim());
        var saved = Path.Combine(WorkspacePaths.RunFolder(_workspace, new ToolInvocation("acme", "run_data_example")), "sales.csv");
        Assert.Equal(csv, await File.ReadAllTextAsync(saved, TestContext.Current.CancellationToken));
        Assert.Contains("Total: 5916.50", result.Steps.Single(s => s.NodeId == "report").InputTask, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_workspace))
        {
            Directory.Delete(_workspace, recursive: true);
        }
    }
}
