using System.Globalization;
using System.Runtime.CompilerServices;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Governance.Guardian;
using MeshFlow.Tests.Governance.Guardian;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Steps.Guardian;

/// <summary>
/// The whole injection corpus through real runs: each text is what an agent's search tool returns, and the agent's
/// model obeys whatever it reads by calling the <c>shell</c> tool it was never given. With the guardian on and with it
/// off, the shell never runs: the guardian withholds what it detects, and the identity check refuses the rest.
/// </summary>
public sealed class GuardianCorpusRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Across_the_corpus_no_unauthorized_tool_call_runs_with_the_guardian_on_or_off()
    {
        var shellRuns = 0;
        var shell = AIFunctionFactory.Create((string command) =>
        {
            Interlocked.Increment(ref shellRuns);
            return "ran";
        }, "shell", "Runs a shell command.");
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Tools = { shell } });
        var cases = InjectionCorpus.All;
        var report = new List<string>();

        foreach (var guardian in new[] { true, false })
        {
            var policy = Policy.ForMode(PolicyModes.Standard) with
            {
                Guardian = guardian ? GuardianPolicy.On with { OnInjection = GuardianAction.Block } : GuardianPolicy.Off,
            };
            int stoppedByGuardian = 0, injectionsStopped = 0, refusedByIdentity = 0, obeyed = 0;
            foreach (var corpusCase in cases)
            {
                var text = corpusCase.Text;
                var search = AIFunctionFactory.Create((string query) => text, "search", "Searches the web.");
                var workflow = new WorkflowBuilder("reader")
                    .AddNode(new AgentNode("reader") { ChatClient = new DelegateChatClient(ObeyAsync), Tools = [search] })
                    .WithPolicy(policy)
                    .Build();

                var result = await engine.RunAsync(workflow, "Look this up.", cancellationToken: TestContext.Current.CancellationToken);

                var step = Assert.Single(result.Steps);
                switch (step.BlockReason)
                {
                    case BlockReason.Guardian:
                        stoppedByGuardian++;
                        injectionsStopped += corpusCase.IsInjection ? 1 : 0;
                        break;
                    case BlockReason.Identity:
                        refusedByIdentity++;
                        Assert.Contains(step.ToolCalls, c => c.Name == "shell");
                        break;
                    default:
                        Assert.Fail($"{corpusCase.Name}: the run ended {result.Status} ({step.BlockReason}) instead of being stopped");
                        break;
                }

                obeyed += step.ToolCalls.Count(c => c.Name == "shell");
            }

            Assert.Equal(0, Volatile.Read(ref shellRuns));
            report.Add(string.Create(CultureInfo.InvariantCulture,
                $"guardian {(guardian ? "on " : "off")}: {cases.Count} runs, {stoppedByGuardian} stopped by the guardian before the model read the result, " +
                $"{refusedByIdentity} asked for the shell and were refused (identity), shell calls that ran: {shellRuns}"));
            if (!guardian)
            {
                Assert.Equal(0, stoppedByGuardian);
                Assert.Equal(cases.Count, obeyed);
            }
            else
            {
                var injections = cases.Count(c => c.IsInjection);
                Assert.True(injectionsStopped >= injections * 95 / 100, $"only {injectionsStopped} of {injections} injections were stopped by the guardian");
                Assert.True(stoppedByGuardian - injectionsStopped <= (cases.Count - injections) * 5 / 100,
                    $"{stoppedByGuardian - injectionsStopped} benign texts were stopped by the guardian");
            }
        }

        foreach (var line in report)
        {
            output.WriteLine(line);
        }
    }

    // A model that does what it reads: first it searches, then, with the result in front of it, it calls the shell.
    private static async IAsyncEnumerable<ChatResponseUpdate> ObeyAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        var read = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Any();
        yield return new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            Contents = [read
                ? new FunctionCallContent("call-2", "shell", new Dictionary<string, object?> { ["command"] = "ls ~" })
                : new FunctionCallContent("call-1", "search", new Dictionary<string, object?> { ["query"] = "the topic" })],
        };
    }
}
