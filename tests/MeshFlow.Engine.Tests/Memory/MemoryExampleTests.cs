using MeshFlow.Declarative;
using MeshFlow.Execution;
using MeshFlow.Memory;
using MeshFlow.Runs;

namespace MeshFlow.Tests.Memory;

/// <summary>examples/memory.yaml on one engine, run twice: what its agents leave in their scopes.</summary>
public sealed class MemoryExampleTests
{
    [Fact]
    public async Task The_analyst_remembers_across_runs_and_the_writer_within_its_run()
    {
        var workflow = WorkflowYaml.LoadFile(Path.Combine(AppContext.BaseDirectory, "examples", "memory.yaml"));
        var engine = new MeshFlowEngine();

        var first = await engine.RunAsync(workflow, "Prepare the Hartwell renewal note.");
        var second = await engine.RunAsync(workflow, "Prepare the Hartwell renewal note again.");

        Assert.Equal(RunStatus.Completed, first.Status);
        Assert.Equal(RunStatus.Completed, second.Status);

        // The analyst answered the same both times: one memory, purified, merged on the second run and recalled by it.
        var analyst = Assert.Single(await engine.Memory.RetrieveRelevantAsync(RunOptions.DefaultTenant, MemoryScopes.Agent("memory", "analyst"),
            "When is the renewal due?", topK: 5));
        Assert.Equal("the renewal is due on 14 March, and legal must review the indemnity cap first.", analyst.Text);
        Assert.Equal(second.RunId, analyst.RunId);
        Assert.True(analyst.UseCount >= 2, $"used {analyst.UseCount} times");

        foreach (var run in new[] { first, second })
        {
            var drafts = await engine.Memory.RetrieveRelevantAsync(RunOptions.DefaultTenant, MemoryScopes.Run(run.RunId, "writer"), "renewal note", topK: 5);
            Assert.NotEmpty(drafts);
            Assert.All(drafts, d => Assert.Equal(run.RunId, d.RunId));
        }
    }
}
