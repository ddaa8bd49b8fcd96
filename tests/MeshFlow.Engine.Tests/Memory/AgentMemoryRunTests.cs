using MeshFlow.Embeddings.MiniLM;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Memory;
using MeshFlow.Retrieval.Vectors;
using MeshFlow.Runs;
using MeshFlow.Steps;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MeshFlow.Tests.Memory;

/// <summary>An agent with <c>memory:</c> across runs: what it is given before its call, and what it leaves behind.</summary>
public sealed class AgentMemoryRunTests
{
    private const string Finding = "The Hartwell renewal needs legal review of the indemnity cap before 14 March.";

    // A model that answers each call with the next of its answers, keeping what it was sent.
    private static DelegateChatClient Answering(params string[] answers)
    {
        var next = -1;
        return new DelegateChatClient((_, _, ct) => DelegateChatClient.Yield([answers[Math.Min(Interlocked.Increment(ref next), answers.Length - 1)]], ct));
    }

    private static Workflow Analyst(IChatClient client, Policy? policy = null, MemoryScope scope = MemoryScope.Agent)
    {
        var builder = new WorkflowBuilder("research")
            .AddNode(new AgentNode("analyst") { ChatClient = client, Instructions = "You are the account analyst.", Memory = new AgentMemoryOptions(scope, TopK: 3) });
        return (policy is null ? builder : builder.WithPolicy(policy)).Build();
    }

    private static async Task<List<VectorEntry>> MemoriesAsync(MeshFlowEngine engine, int dimensions, string tenant = RunOptions.DefaultTenant)
    {
        var collection = engine.Vectors.GetCollection<string, VectorEntry>(VectorCollectionNames.Memory(tenant), VectorEntry.Definition(dimensions));
        var entries = new List<VectorEntry>();
        await foreach (var entry in collection.GetAsync(_ => true, 1000))
        {
            entries.Add(entry);
        }

        return entries;
    }

    private static ChatMessage? MemoryMessage(IReadOnlyList<ChatMessage> prompt) =>
        prompt.SingleOrDefault(m => m.Text.StartsWith(StepMemory.Heading, StringComparison.Ordinal));

    [Fact]
    public async Task The_second_run_of_an_agent_is_given_what_its_first_run_remembered_as_a_system_message()
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();
        using var embeddings = new LocalEmbeddingGenerator();
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger, Embeddings = embeddings });
        var client = Answering($"Sure! Here is what I found:\n{Finding} I hope this helps!", "Legal must review the cap first.");
        var workflow = Analyst(client);

        var first = await engine.RunAsync(workflow, "Summarise where the Hartwell account stands.");
        var second = await engine.RunAsync(workflow, "What has to happen before Hartwell renews?");

        Assert.Equal(RunStatus.Completed, first.Status);
        Assert.Equal(RunStatus.Completed, second.Status);
        Assert.Null(MemoryMessage(client.Calls[0]));
        var prompt = client.Calls[1];
        var memory = MemoryMessage(prompt);
        Assert.NotNull(memory);
        Assert.Equal(ChatRole.System, memory.Role);
        Assert.Equal(1, prompt.ToList().IndexOf(memory));
        Assert.Equal($"{StepMemory.Heading}\n- {Finding}", memory.Text);

        // The recorded task is the user side of the prompt, without the memories: a replay compares it, and calls no model.
        var step = (await ledger.Store.ReadRecordsAsync(RunOptions.DefaultTenant, second.RunId)).Single(r => r.Kind == LedgerRecordKinds.Step);
        Assert.Equal("What has to happen before Hartwell renews?", LedgerPayloads.ReadStep(step.Payload).InputTask);
        var remembered = await MemoriesAsync(engine, LocalEmbeddingGenerator.Dimensions);
        var replay = await LedgerReplay.ReplayAsync(engine, workflow, ledger.Ledger, RunOptions.DefaultTenant, second.RunId);
        Assert.True(replay.Identical, replay.Detail);
        Assert.Equal(2, client.Calls.Count);
        Assert.Equal(
            remembered.Select(e => (e.Key, e.Text, e.UseCount)).Order(),
            (await MemoriesAsync(engine, LocalEmbeddingGenerator.Dimensions)).Select(e => (e.Key, e.Text, e.UseCount)).Order());
    }

    [Fact]
    public async Task What_a_run_remembers_carries_its_tenant_run_and_the_agent_scope_of_its_workflow_and_node()
    {
        var engine = new MeshFlowEngine();
        var result = await engine.RunAsync(Analyst(Answering(Finding)), "Summarise Hartwell.", new RunOptions { TenantId = "acme" });

        var entry = Assert.Single(await MemoriesAsync(engine, 1, "acme"));
        Assert.Equal(Finding, entry.Text);
        Assert.Equal("acme", entry.TenantId);
        Assert.Equal(result.RunId, entry.RunId);
        Assert.Equal("agent:research:analyst", entry.Scope);
        Assert.Equal(AgentMemoryStore.KeywordModel, entry.EmbeddingModel);
        Assert.Empty(await MemoriesAsync(engine, 1));
    }

    [Fact]
    public async Task A_run_scoped_memory_is_not_given_to_the_next_run()
    {
        var engine = new MeshFlowEngine();
        var client = Answering(Finding, "Nothing is known yet about Hartwell.");
        var workflow = Analyst(client, scope: MemoryScope.Run);

        await engine.RunAsync(workflow, "Summarise the Hartwell renewal.");
        await engine.RunAsync(workflow, "What does the Hartwell renewal need?");

        Assert.Null(MemoryMessage(client.Calls[1]));
        Assert.Equal(2, (await MemoriesAsync(engine, 1)).Count);
    }

    [Fact]
    public async Task Phi_in_an_output_under_a_scrubbing_policy_never_reaches_the_memory_store()
    {
        const string Note = "Follow-up seen today by Prof. Xiomara Quist. SSN 123-45-6789 is on file. Phone (617) 555-0142 works. " +
            "Email maria.gonzalez@example.org was checked.";
        string[] identifiers = ["Xiomara Quist", "123-45-6789", "6789", "(617) 555-0142", "maria.gonzalez@example.org"];
        var engine = new MeshFlowEngine();
        var client = Answering(Note, "The follow-up is on file.");
        var workflow = Analyst(client, Policy.ForMode(PolicyModes.Standard) with { ScrubPhi = true });

        var first = await engine.RunAsync(workflow, "Write up the follow-up visit.");
        await engine.RunAsync(workflow, "What is on file for the follow-up?");

        Assert.Equal(RunStatus.Completed, first.Status);
        var stored = string.Join('\n', (await MemoriesAsync(engine, 1)).Select(e => e.Text));
        Assert.Contains("[PHI-REDACTED:SSN]", stored, StringComparison.Ordinal);
        var given = MemoryMessage(client.Calls[1])?.Text;
        Assert.NotNull(given);
        Assert.Contains("[PHI-REDACTED:SSN]", given, StringComparison.Ordinal);
        foreach (var identifier in identifiers)
        {
            Assert.DoesNotContain(identifier, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(identifier, given, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_memory_that_cannot_be_read_or_written_is_logged_without_content_and_the_run_goes_on()
    {
        using var logs = new FakeLoggerProvider();
        var options = new MeshFlowEngineOptions { Embeddings = new BrokenEmbeddings() };
        options.Providers.LoggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var engine = new MeshFlowEngine(options);

        var result = await engine.RunAsync(Analyst(Answering(Finding)), "Summarise the Hartwell renewal.");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(Finding, result.Output);
        var warnings = logs.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("could not be read (InvalidOperationException)", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("could not be remembered", warnings[1].Message, StringComparison.Ordinal);
        Assert.All(warnings, w =>
        {
            Assert.DoesNotContain("Hartwell", w.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(BrokenEmbeddings.Detail, w.Message, StringComparison.Ordinal);
            Assert.Null(w.Exception);
        });
    }

    [Fact]
    public async Task A_step_blocked_after_its_call_is_not_remembered()
    {
        var options = new MeshFlowEngineOptions();
        options.Checks.Add(new BlockingAfterStep());
        var engine = new MeshFlowEngine(options);
        var client = Answering(Finding);

        var result = await engine.RunAsync(Analyst(client), "Summarise the Hartwell renewal.");

        Assert.Equal(RunStatus.Blocked, result.Status);
        Assert.Single(client.Calls);
        Assert.Empty(await MemoriesAsync(engine, 1));
    }

    // Lets every step call its model, then refuses what it produced.
    private sealed class BlockingAfterStep : IStepCheck
    {
        public ValueTask<StepVerdict> BeforeStepAsync(StepCheckContext context, CancellationToken cancellationToken) => ValueTask.FromResult(StepVerdict.Commit);

        public ValueTask<StepVerdict> AfterStepAsync(StepCheckContext context, StepOutcome outcome, CancellationToken cancellationToken) =>
            ValueTask.FromResult(StepVerdict.Block(BlockReason.Guardian, "refused after the call"));
    }

    // An embedder whose every call fails, with a message that must not reach the log.
    private sealed class BrokenEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
    {
        public const string Detail = "upstream said: Hartwell indemnity";

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default) => throw new InvalidOperationException(Detail);

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
