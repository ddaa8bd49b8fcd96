using System.Collections.Concurrent;
using MeshFlow.Retrieval.Documents;
using MeshFlow.Workflows;

namespace MeshFlow.Retrieval.Rag;

/// <summary>
/// Ingests the documents a workflow carries (<see cref="WorkflowBuilder.AddKnowledgeBase"/>) into a tenant's
/// knowledge base before the workflow's first rag step reads it, once per tenant, workflow and version of the
/// documents, however many runs and steps ask at once.
/// </summary>
/// <remarks>
/// What this engine ingested is remembered in memory; another process (or this one after a restart) ingests again
/// once, which replaces each document by its stable id rather than adding copies. A failed ingestion is forgotten,
/// so the next step tries again, and so is one whose knowledge base no longer exists. A document deleted from a
/// knowledge base that still exists stays deleted.
/// </remarks>
internal sealed class WorkflowKnowledgeSeeder
{
    private readonly ConcurrentDictionary<(string Tenant, string Workflow, string KnowledgeBase, string Digest), Lazy<Task>> _seeded = new();

    /// <summary>Ingests <paramref name="knowledgeBase"/>'s documents if <paramref name="workflow"/> carries any and this tenant has not had them yet.</summary>
    public async Task EnsureAsync(KnowledgeBases knowledge, string tenantId, Workflow workflow, string knowledgeBase, CancellationToken cancellationToken)
    {
        if (workflow.KnowledgeBases.FirstOrDefault(k => k.Name == knowledgeBase) is not { } carried)
        {
            return;
        }

        var key = (tenantId, workflow.Name, carried.Name, carried.Digest);
        // Not the caller's token: one run's cancellation must not fail the ingestion other runs wait on.
        Lazy<Task> Seed(string tenant) => new(() => knowledge.IngestAsync(tenant, carried.Name, carried.Documents, CancellationToken.None));
        var seeding = _seeded.GetOrAdd(key, _ => Seed(tenantId));
        if (seeding.IsValueCreated && seeding.Value.IsCompletedSuccessfully
            && !await knowledge.ExistsAsync(tenantId, carried.Name, cancellationToken).ConfigureAwait(false))
        {
            // Seeded once, but the knowledge base is gone since (the tenant erased, the collection deleted): the
            // workflow's documents go in again rather than the step failing on a base the workflow itself provides.
            _seeded.TryRemove(new KeyValuePair<(string, string, string, string), Lazy<Task>>(key, seeding));
            seeding = _seeded.GetOrAdd(key, _ => Seed(tenantId));
        }

        try
        {
            await seeding.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (seeding.Value.IsFaulted || seeding.Value.IsCanceled)
        {
            _seeded.TryRemove(new KeyValuePair<(string, string, string, string), Lazy<Task>>(key, seeding));
            throw;
        }
    }
}
