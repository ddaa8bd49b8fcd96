using System.Runtime.CompilerServices;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Tools;

public sealed class ConcurrentToolCallTests
{
    private const int Calls = 3;

    // Every call waits inside the tool until all of them are inside: run one after another, the first would never return.
    private readonly TaskCompletionSource _allInside = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inside;

    private AIFunction Fetch => AIFunctionFactory.Create(async (string id, CancellationToken cancellationToken) =>
    {
        if (Interlocked.Increment(ref _inside) == Calls)
        {
            _allInside.TrySetResult();
        }

        await _allInside.Task.WaitAsync(TestTimeouts.Default, cancellationToken);
        return id == "c" ? throw new InvalidOperationException("archive c is offline") : $"document {id}";
    }, new AIFunctionFactoryOptions { Name = "fetch", AdditionalProperties = ToolRisk.Properties(RiskTier.Low) });

    // One response asks for every call; the next turn answers with the results it was given.
    private static DelegateChatClient Model(params FunctionCallContent[] calls) => new((messages, _, ct) => AnswerAsync(messages, calls, ct));

    private static async IAsyncEnumerable<ChatResponseUpdate> AnswerAsync(IReadOnlyList<ChatMessage> messages, FunctionCallContent[] calls,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        ct.ThrowIfCancellationRequested();
        var results = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        yield return results.Count == 0
            ? new ChatResponseUpdate { Role = ChatRole.Assistant, Contents = [.. calls] }
            : new ChatResponseUpdate(ChatRole.Assistant, string.Join(" | ", results.Select(r => r.Result)));
    }

    private static FunctionCallContent Call(string tool, string key, string value) =>
        new($"call-{value.Split(' ')[0]}", tool, new Dictionary<string, object?> { [key] = value });

    private static Workflow Researcher(DelegateChatClient model, AIFunction[] tools, Policy? policy = null)
    {
        var builder = new WorkflowBuilder("research").AddNode(new AgentNode("researcher") { ChatClient = model, Tools = [.. tools] });
        return (policy is null ? builder : builder.WithPolicy(policy)).Build();
    }

    [Fact]
    public async Task The_calls_of_one_response_are_all_in_flight_at_once_and_their_results_go_back_in_one_message_a_failure_included()
    {
        var model = Model(Call("fetch", "id", "a"), Call("fetch", "id", "b"), Call("fetch", "id", "c"));
        await using var ledger = await TestLedger.OpenSqliteAsync();

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger }), Researcher(model, [Fetch]), "x");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        Assert.Equal(Calls, _inside);
        string[] expected = ["document a", "document b", "Error: Function failed. Exception: archive c is offline"];

        // The model's second turn: its own three calls, then one tool message with the three results in call order.
        var secondTurn = model.Calls[1];
        Assert.Equal(3, Assert.Single(secondTurn, m => m.Role == ChatRole.Assistant).Contents.OfType<FunctionCallContent>().Count());
        var toolMessage = Assert.Single(secondTurn, m => m.Role == ChatRole.Tool);
        Assert.Same(secondTurn[^1], toolMessage);
        var results = toolMessage.Contents.OfType<FunctionResultContent>().ToList();
        Assert.Equal(["call-a", "call-b", "call-c"], results.Select(r => r.CallId));
        Assert.Equal(expected, results.Select(r => r.Result?.ToString()));
        Assert.Equal(string.Join(" | ", expected), capture.Result.Output);

        var events = capture.Of<ToolResultEvent>().OrderBy(e => e.CallId, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, events.Select(e => e.Result));
        Assert.All(events, e => Assert.True(e.DurationMs >= 0));
        Assert.All(events, e => Assert.Equal(RiskTier.Low, e.RiskTier));

        var step = (await ledger.Store.ReadRecordsAsync(RunOptions.DefaultTenant, capture.Result.RunId)).Single(r => r.Kind == LedgerRecordKinds.Step);
        var recorded = LedgerPayloads.ReadStep(step.Payload).ToolCalls;
        Assert.Equal(["call-a", "call-b", "call-c"], recorded.Select(c => c.CallId));
        Assert.Equal(["{\"id\":\"a\"}", "{\"id\":\"b\"}", "{\"id\":\"c\"}"], recorded.Select(c => c.Arguments));
        Assert.Equal(expected, recorded.Select(c => c.Result));
        Assert.All(recorded, c => Assert.True(c.DurationMs >= 0));
        Assert.All(recorded, c => Assert.Equal(RiskTier.Low, c.RiskTier));
    }

    [Fact]
    public async Task When_concurrent_calls_are_refused_a_block_outranks_an_escalation_whichever_the_model_asked_first()
    {
        var mailer = new CountingTool("send_report");
        var shell = new CountingTool("shell");
        var model = Model(Call("send_report", "input", "weekly summary"), Call("shell", "command", "rm -rf /"));
        var workflow = Researcher(model, [mailer.Function.WithRisk(RiskTier.Medium), shell.Function], Policy.ForMode(PolicyModes.Hipaa));

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, "x");

        Assert.Equal((0, 0), (mailer.Calls, shell.Calls));
        Assert.Equal(RunStatus.Blocked, capture.Result.Status);
        var step = Assert.Single(capture.Result.Steps);
        Assert.Equal((Verdict.Blocked, BlockReason.Dasc), (step.Verdict, step.BlockReason));
        Assert.Contains("tool call 'shell' is critical", step.BlockDetail, StringComparison.Ordinal);
        Assert.Equal([RiskTier.Medium, RiskTier.Critical], step.ToolCalls.Select(c => c.RiskTier));
        Assert.All(step.ToolCalls, c => Assert.StartsWith("not run: ", c.Result, StringComparison.Ordinal));
    }
}
