using System.Runtime.CompilerServices;
using MeshFlow.Declarative;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Tools.BuiltIn;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Execution;

public sealed class ToolTests
{
    private static readonly AIFunction Lookup = AIFunctionFactory.Create(
        (string clause) => $"precedent for {clause}", "lookup", "Finds precedent for a clause.");

    // First call: ask for the tool. Second call (with the tool's result in the history): answer with it.
    private static DelegateChatClient ToolCallingModel() => new((messages, _, ct) => Answer(messages, ct));

    private static async IAsyncEnumerable<ChatResponseUpdate> Answer(IReadOnlyList<ChatMessage> messages, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        var result = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().FirstOrDefault();
        if (result is null)
        {
            yield return new ChatResponseUpdate
            {
                Role = ChatRole.Assistant,
                Contents = [new FunctionCallContent("call-1", "lookup", new Dictionary<string, object?> { ["clause"] = "indemnity" })],
            };
            yield break;
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, "Based on ");
        yield return new ChatResponseUpdate(ChatRole.Assistant, result.Result?.ToString());
    }

    [Fact]
    public async Task An_agent_calls_its_tool_and_the_call_and_result_are_streamed_and_recorded()
    {
        var workflow = new WorkflowBuilder("tools")
            .AddNode(new AgentNode("researcher") { ChatClient = ToolCallingModel(), Tools = [Lookup] })
            .Build();

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, "Research indemnity");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var call = Assert.Single(capture.Of<ToolCallEvent>());
        var result = Assert.Single(capture.Of<ToolResultEvent>());
        var end = Assert.Single(capture.Of<StepEndEvent>());
        Assert.Equal(("call-1", "lookup"), (call.CallId, call.Name));
        Assert.Contains("indemnity", call.Arguments, StringComparison.Ordinal);
        Assert.Equal("precedent for indemnity", result.Result);
        Assert.True(call.Seq < result.Seq && result.Seq < end.Seq);
        Assert.Equal("Based on precedent for indemnity", end.Output);
        var record = Assert.Single(Assert.Single(capture.Result.Steps).ToolCalls);
        Assert.Equal("precedent for indemnity", record.Result);
    }

    [Fact]
    public async Task A_declarative_agent_gets_the_engine_tool_registered_under_the_name_it_gives()
    {
        var loaded = WorkflowYaml.Load("""
            name: research
            nodes:
              - id: researcher
                tools: [lookup]
            """);
        var agent = (AgentNode)loaded.Nodes[0];
        var workflow = new WorkflowBuilder("research")
            .AddNode(new AgentNode("researcher") { ChatClient = ToolCallingModel(), Tools = agent.Tools })
            .Build();
        var options = new MeshFlowEngineOptions();
        options.Tools.Add(Lookup);

        var result = await new MeshFlowEngine(options).RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal("Based on precedent for indemnity", result.Output);
    }

    [Fact]
    public async Task A_tool_the_engine_does_not_have_fails_the_step_naming_the_tool()
    {
        var loaded = WorkflowYaml.Load("""
            name: research
            nodes:
              - id: researcher
                tools: [lookup]
            """);
        var workflow = new WorkflowBuilder("research")
            .AddNode(new AgentNode("researcher") { ChatClient = ToolCallingModel(), Tools = ((AgentNode)loaded.Nodes[0]).Tools })
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal("researcher", result.Error!.NodeId);
        Assert.Contains("tool 'lookup' is not registered", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_node_calls_its_registered_tool_with_its_arguments()
    {
        var options = new MeshFlowEngineOptions();
        options.Tools.Add(Lookup);
        var workflow = new WorkflowBuilder("tool-node")
            .AddNode(new ToolNode("find", "lookup") { Arguments = new Dictionary<string, object?> { ["clause"] = "termination" } })
            .Build();

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(options), workflow, "x");

        Assert.Equal("precedent for termination", capture.Result.Output);
        Assert.Single(capture.Of<ToolCallEvent>());
        Assert.Equal("precedent for termination", Assert.Single(capture.Of<TokenDeltaEvent>()).Text);
    }

    [Fact]
    public async Task A_tool_nodes_string_arguments_take_its_input_where_they_say_input_in_braces()
    {
        var options = new MeshFlowEngineOptions();
        options.Tools.Add(AIFunctionFactory.Create((string path, string content, int limit) => $"{path}|{content}|{limit}", "save"));
        var workflow = new WorkflowBuilder("placeholder")
            .AddNode(new ToolNode("save", "save")
            {
                Arguments = new Dictionary<string, object?> { ["path"] = "notes/{{input}}.txt", ["content"] = "<{{input}}>", ["limit"] = 3 },
            })
            .Build();

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(options), workflow, "acme");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        Assert.Equal("notes/acme.txt|<acme>|3", capture.Result.Output);
        Assert.Contains("notes/acme.txt", Assert.Single(capture.Of<ToolCallEvent>()).Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_tool_call_carries_the_tenant_run_and_node_it_is_made_for()
    {
        var seen = new List<ToolInvocation>();
        var whoAmI = AIFunctionFactory.Create((AIFunctionArguments arguments) =>
        {
            lock (seen)
            {
                seen.Add(ToolInvocation.From(arguments));
            }

            return "ok";
        }, "who_am_i");
        var options = new MeshFlowEngineOptions();
        options.Tools.Add(whoAmI);
        var model = new DelegateChatClient((messages, _, ct) => CallOnce(messages, "who_am_i", ct));
        var workflow = new WorkflowBuilder("who")
            .AddNode(new ToolNode("node_call", "who_am_i"))
            .AddNode(new AgentNode("agent_call") { ChatClient = model, Tools = [whoAmI] })
            .AddEdge("node_call", "agent_call")
            .Build();

        var result = await new MeshFlowEngine(options).RunAsync(workflow, "x", new RunOptions { TenantId = "acme", RunId = "run_who" },
            TestContext.Current.CancellationToken);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal([("acme", "run_who", "node_call"), ("acme", "run_who", "agent_call")], seen.Select(i => (i.TenantId, i.RunId, i.NodeId!)));
        Assert.All(seen, i => Assert.StartsWith(i.NodeId + ":", i.StepId, StringComparison.Ordinal));
        Assert.Same(ToolInvocation.Direct, ToolInvocation.From(new AIFunctionArguments()));
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> CallOnce(IReadOnlyList<ChatMessage> messages, string tool, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        if (!messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Any())
        {
            yield return new ChatResponseUpdate { Role = ChatRole.Assistant, Contents = [new FunctionCallContent("call-1", tool, new Dictionary<string, object?>())] };
            yield break;
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, "done");
    }
}
