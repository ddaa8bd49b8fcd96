using MeshFlow.Execution;
using MeshFlow.Memory;
using MeshFlow.Retrieval.Vectors;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Memory;

/// <summary>Memories kept in the ledger's database: another engine on it recalls them, and erasing their run erases them.</summary>
public sealed class AgentMemoryErasureTests
{
    private const string Finding = "The Hartwell renewal needs legal review of the indemnity cap before 14 March.";
    private const string Query = "What does the Hartwell renewal need?";
    private static readonly string Scope = MemoryScopes.Agent("research", "analyst");

    private static Workflow Analyst() => new WorkflowBuilder("research")
        .AddNode(new AgentNode("analyst")
        {
            Model = "scripted", Responses = [Finding], Memory = new AgentMemoryOptions(MemoryScope.Agent),
        })
        .Build();

    private static MeshFlowEngine EngineOn(TestLedger ledger) => new(new MeshFlowEngineOptions
    {
        Ledger = ledger.Ledger, Vectors = new LedgerVectorStore((IVectorEntryStore)ledger.Store),
    });

    [Fact]
    public async Task A_memory_written_through_one_engine_is_recalled_by_another_on_the_same_ledger()
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();

        var run = await EngineOn(ledger).RunAsync(Analyst(), "Summarise Hartwell.");

        Assert.Equal(RunStatus.Completed, run.Status);
        var recalled = Assert.Single(await EngineOn(ledger).Memory.RetrieveRelevantAsync(RunOptions.DefaultTenant, Scope, Query, topK: 5));
        Assert.Equal(Finding, recalled.Text);
        Assert.Equal(run.RunId, recalled.RunId);
    }

    [Fact]
    public async Task Erasing_the_run_that_wrote_a_memory_erases_the_memory_and_leaves_other_runs_memories()
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();
        var engine = EngineOn(ledger);
        var erased = await engine.RunAsync(Analyst(), "Summarise Hartwell.");
        await engine.Memory.AddAsync(RunOptions.DefaultTenant, Scope, "The Hartwell renewal contact is the procurement lead, Dana.", "run_other");

        await ledger.Ledger.EraseAsync(RunOptions.DefaultTenant, erased.RunId, null, "erasure request");

        var left = await EngineOn(ledger).Memory.RetrieveRelevantAsync(RunOptions.DefaultTenant, Scope, Query, topK: 5);
        var memory = Assert.Single(left);
        Assert.Equal("run_other", memory.RunId);
        Assert.Single(await engine.Memory.RetrieveRelevantAsync(RunOptions.DefaultTenant, Scope, Query, topK: 5));
    }
}
