using MeshFlow.Agents;
using MeshFlow.Execution;
using MeshFlow.Retrieval.Documents;
using MeshFlow.Workflows;

namespace MeshFlow.Examples;

/// <summary>
/// The README's retrieval example: a workflow that carries a small knowledge base, retrieves for the question, and
/// hands the numbered sources to an agent that answers citing them.
/// </summary>
public static class RagExample
{
    /// <summary>Runs <c>retrieve -&gt; answer</c> over three handbook pages and prints the sources the rag step used.</summary>
    public static async Task<RunResult> RunAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var workflow = new WorkflowBuilder("handbook")
            .AddKnowledgeBase("handbook",
            [
                new KnowledgeDocument("Annual leave: every employee receives twenty-five days of paid holiday a year.") { Id = "leave", Source = "leave.md" },
                new KnowledgeDocument("Expenses: receipts are submitted in the finance portal within thirty days.") { Id = "expenses", Source = "expenses.md" },
                new KnowledgeDocument("Security: passwords are at least fourteen characters and never reused.") { Id = "security", Source = "security.md" },
            ])
            .AddRag("retrieve", "handbook", topK: 2, mode: RetrievalMode.Keyword)
            .AddNode(new AgentNode("answer") { Model = ModelNames.Offline, Instructions = "Answer from the sources and cite them as [n]." })
            .AddEdge("retrieve", "answer")
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "How many days of paid holiday do employees get?").ConfigureAwait(false);
        foreach (var chunk in result.Steps.Single(s => s.NodeId == "retrieve").RetrievedChunks ?? [])
        {
            await output.WriteLineAsync($"[{chunk.Number}] {chunk.Source} (document {chunk.DocumentId}, score {chunk.Score:0.000})").ConfigureAwait(false);
        }

        await output.WriteLineAsync(result.Output).ConfigureAwait(false);
        return result;
    }
}
