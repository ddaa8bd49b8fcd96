using System.Text.RegularExpressions;
using MeshFlow.Embeddings.MiniLM;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Retrieval.Rag;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Retrieval.Rag;

/// <summary>
/// A workflow <c>rag -&gt; agent</c> over a ten-document knowledge base: what the agent is sent, what it answers, and
/// what the rag step's ledger record says it used.
/// </summary>
public sealed partial class RagStepTests
{
    private const string Question = "How many days of paid vacation do I get each year?";

    [Fact]
    public async Task The_agent_is_sent_the_numbered_chunks_of_the_right_document_and_its_answer_cites_them()
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger, Embeddings = new LocalEmbeddingGenerator() });
        var model = CitingModel();
        var workflow = new WorkflowBuilder("handbook-answers")
            .AddKnowledgeBase("handbook", Handbook.Documents)
            .AddRag("retrieve", "handbook", topK: 2)
            .AddNode(new AgentNode("answer") { ChatClient = model, Instructions = "Answer the employee's question." })
            .AddEdge("retrieve", "answer")
            .Build();

        var capture = await RunCapture.RunAsync(engine, workflow, Question);

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var sent = string.Join("\n", Assert.Single(model.Calls).Select(m => m.Text));
        Assert.Contains("[1] leave.md, chunk 1:", sent, StringComparison.Ordinal);
        Assert.Contains("twenty-five days of paid holiday", sent, StringComparison.Ordinal);
        Assert.Contains(SourcesPrompt.CiteInstruction, sent, StringComparison.Ordinal);
        Assert.Contains(Question, sent, StringComparison.Ordinal);
        Assert.Equal("Twenty-five days a year [1] (leave.md).", capture.Result.Output);

        var step = capture.Result.Steps.Single(s => s.NodeId == "retrieve");
        Assert.Equal(NodeKind.Rag, step.Kind);
        var recorded = await RetrievedChunksAsync(ledger, capture.Result.RunId);
        Assert.Equal(2, recorded.Count);
        Assert.Equal("leave", recorded[0].DocumentId);
        Assert.Equal((1, "leave.md", 0), (recorded[0].Number, recorded[0].Source, recorded[0].Position));
        Assert.Equal(step.RetrievedChunks!.Select(c => c.ChunkId), recorded.Select(c => c.ChunkId));
        Assert.True(recorded[0].Score >= recorded[1].Score);
        Assert.Equal(step.Output, Assert.Single(capture.Of<StepEndEvent>(), e => e.NodeId == "retrieve").Output);
    }

    [Fact]
    public async Task Under_a_scrubbing_policy_the_query_reaches_the_embedder_cleaned_of_phi()
    {
        var embedder = new RecordingEmbeddings(new LocalEmbeddingGenerator());
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Embeddings = embedder });
        var workflow = new WorkflowBuilder("scrubbed")
            .WithPolicy(Policy.ForMode(PolicyModes.Standard) with { ScrubPhi = true })
            .AddKnowledgeBase("handbook", Handbook.Documents)
            .AddRag("retrieve", "handbook", topK: 1)
            .Build();
        const string Ssn = "123-45-6789";

        var result = await engine.RunAsync(workflow, $"How much vacation does the employee with SSN {Ssn} get?");

        Assert.Equal(RunStatus.Completed, result.Status);
        var queries = embedder.Texts.Where(t => t.Contains("vacation", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(queries);
        Assert.All(queries, q => Assert.DoesNotContain(Ssn, q, StringComparison.Ordinal));
        Assert.Contains(queries, q => q.Contains("[PHI-REDACTED", StringComparison.Ordinal));
    }

    private sealed class RecordingEmbeddings(IEmbeddingGenerator<string, Embedding<float>> inner) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Texts { get; } = new();

        public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            foreach (var value in list)
            {
                Texts.Enqueue(value);
            }

            return base.GenerateAsync(list, options, cancellationToken);
        }
    }

    [Fact]
    public async Task A_query_template_decides_what_is_retrieved()
    {
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Embeddings = new LocalEmbeddingGenerator() });
        var workflow = new WorkflowBuilder("templated")
            .AddKnowledgeBase("handbook", Handbook.Documents)
            .AddRag("retrieve", "handbook", topK: 1, query: "rules for reporting a broken keyboard ({{input}})")
            .Build();

        var result = await engine.RunAsync(workflow, "a question about hardware");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal("equipment", Assert.Single(Assert.Single(result.Steps).RetrievedChunks!).DocumentId);
        Assert.Contains("Task:\na question about hardware", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_knowledge_base_the_tenant_does_not_have_fails_the_run_naming_it()
    {
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Embeddings = new LocalEmbeddingGenerator() });
        var model = CitingModel();
        var workflow = new WorkflowBuilder("missing")
            .AddRag("retrieve", "policies")
            .AddNode(new AgentNode("answer") { ChatClient = model })
            .AddEdge("retrieve", "answer")
            .Build();

        var result = await engine.RunAsync(workflow, Question);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(RunErrorCodes.NodeFailed, result.Error!.Code);
        Assert.Equal("retrieve", result.Error.NodeId);
        Assert.Contains("knowledge base 'policies' does not exist", result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(model.Calls);
    }

    [Fact]
    public async Task A_workflow_s_knowledge_base_is_ingested_into_each_tenant_once_and_only_there()
    {
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Embeddings = new LocalEmbeddingGenerator() });
        var workflow = new WorkflowBuilder("seeded")
            .AddKnowledgeBase("handbook", Handbook.Documents)
            .AddRag("retrieve", "handbook", topK: 1)
            .Build();

        await engine.RunAsync(workflow, Question, new RunOptions { TenantId = "acme" });
        await engine.Knowledge.DeleteDocumentAsync("acme", "handbook", "leave", TestContext.Current.CancellationToken);
        var again = await engine.RunAsync(workflow, Question, new RunOptions { TenantId = "acme" });

        // Not ingested again by the second run: the document deleted in between stays deleted.
        Assert.NotEqual("leave", Assert.Single(Assert.Single(again.Steps).RetrievedChunks!).DocumentId);
        Assert.False(await engine.Knowledge.ExistsAsync("globex", "handbook", TestContext.Current.CancellationToken));
        var globex = await engine.RunAsync(workflow, Question, new RunOptions { TenantId = "globex" });
        Assert.Equal("leave", Assert.Single(Assert.Single(globex.Steps).RetrievedChunks!).DocumentId);
    }

    [Fact]
    public async Task A_workflow_s_knowledge_base_deleted_since_it_was_seeded_is_seeded_again()
    {
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Embeddings = new LocalEmbeddingGenerator() });
        var workflow = new WorkflowBuilder("reseeded")
            .AddKnowledgeBase("handbook", Handbook.Documents)
            .AddRag("retrieve", "handbook", topK: 1)
            .Build();
        await engine.RunAsync(workflow, Question, new RunOptions { TenantId = "acme" });

        await engine.Vectors.EnsureCollectionDeletedAsync(MeshFlow.Retrieval.Vectors.VectorCollectionNames.Knowledge("acme", "handbook"),
            TestContext.Current.CancellationToken);
        Assert.False(await engine.Knowledge.ExistsAsync("acme", "handbook", TestContext.Current.CancellationToken));
        var again = await engine.RunAsync(workflow, Question, new RunOptions { TenantId = "acme" });

        Assert.Equal(RunStatus.Completed, again.Status);
        Assert.Equal("leave", Assert.Single(Assert.Single(again.Steps).RetrievedChunks!).DocumentId);
    }

    [Fact]
    public async Task A_replay_reuses_the_recorded_retrieval_rather_than_searching_again()
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger, Embeddings = new LocalEmbeddingGenerator() });
        var workflow = new WorkflowBuilder("replayed")
            .AddKnowledgeBase("handbook", Handbook.Documents)
            .AddRag("retrieve", "handbook", topK: 1)
            .Build();
        var first = await engine.RunAsync(workflow, Question);
        Assert.Contains("twenty-five days", first.Output, StringComparison.Ordinal);
        // Were the step to search again, it could no longer find this document.
        await engine.Knowledge.DeleteDocumentAsync(RunOptions.DefaultTenant, "handbook", "leave", TestContext.Current.CancellationToken);

        var replay = await LedgerReplay.ReplayAsync(engine, workflow, ledger.Ledger, RunOptions.DefaultTenant, first.RunId, TestContext.Current.CancellationToken);

        Assert.True(replay.Identical, replay.Detail);
    }

    // Answers from the first source it was sent, citing it by number and name, as a model told to cite would.
    private static DelegateChatClient CitingModel() => new((messages, _, ct) =>
    {
        var text = string.Join("\n", messages.Select(m => m.Text));
        var first = FirstSource().Match(text);
        var answer = first.Success && text.Contains("twenty-five days", StringComparison.Ordinal)
            ? $"Twenty-five days a year [{first.Groups["n"].Value}] ({first.Groups["source"].Value})."
            : "I have no source for that.";
        return DelegateChatClient.Yield([answer], ct);
    });

    private static async Task<IReadOnlyList<RetrievedChunkRecord>> RetrievedChunksAsync(TestLedger ledger, string runId)
    {
        var records = await ledger.Store.ReadRecordsAsync(RunOptions.DefaultTenant, runId, TestContext.Current.CancellationToken);
        var record = Assert.Single(records, r => r.Kind == LedgerRecordKinds.Step && r.NodeId == "retrieve");
        return LedgerPayloads.ReadStep(record.Payload).RetrievedChunks!;
    }

    [GeneratedRegex(@"^\[(?<n>\d+)\] (?<source>[^,]+), chunk", RegexOptions.Multiline)]
    private static partial Regex FirstSource();
}
