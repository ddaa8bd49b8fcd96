using MeshFlow.Retrieval.Documents;
using MeshFlow.Retrieval.Rag;
using MeshFlow.Runs;
using MeshFlow.Workflows;

namespace MeshFlow.Steps;

/// <summary>A rag node's call: retrieve from the tenant's knowledge base for its input, and put the chunks in front of its task.</summary>
internal sealed class RagStep(RunScope run)
{
    public async ValueTask<StepResult> RunAsync(RagNode node, StepWork work, string stepId, CancellationToken token)
    {
        var engine = run.Engine;
        var task = NodeContext.Merge(run.Input, work.Inputs);
        await engine.KnowledgeSeeder.EnsureAsync(engine.Knowledge, run.TenantId, run.Workflow, node.KnowledgeBase, token).ConfigureAwait(false);
        // The query leaves the run for the embedder (a remote one, perhaps) as any text leaving it does: cleaned when
        // the policy cleans. A task with nothing to look up retrieves nothing rather than failing the step.
        var query = run.Sinks.Clean(node.QueryFor(task));
        IReadOnlyList<RetrievedChunk> chunks = [];
        try
        {
            if (!string.IsNullOrWhiteSpace(query))
            {
                chunks = await engine.Knowledge.RetrieveAsync(run.TenantId, node.KnowledgeBase, query, node.TopK, mode: node.Mode,
                    cancellationToken: token).ConfigureAwait(false);
            }
        }
        catch (KnowledgeBaseNotFoundException)
        {
            throw new InvalidOperationException($"knowledge base '{node.KnowledgeBase}' does not exist for this tenant: ingest documents into it " +
                $"(POST /knowledge/{node.KnowledgeBase}/documents, or WorkflowBuilder.AddKnowledgeBase) before a run retrieves from it");
        }

        var used = chunks.Select((c, i) => new RetrievedChunkRecord(i + 1, c.ChunkId, c.DocumentId, c.Source, c.Position, c.Score)).ToList();
        return run.Whole(node.Id, stepId, null, SourcesPrompt.Compose(node.KnowledgeBase, task, chunks)) with { RetrievedChunks = used };
    }
}
