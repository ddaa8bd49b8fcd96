using MeshFlow.Agents;
using MeshFlow.Declarative;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Execution;

public sealed class ScriptedToolCallTests
{
    [Fact]
    public async Task A_scripted_agent_calls_a_registered_tool_with_its_arguments_and_answers_after_it()
    {
        var calls = new List<(string Command, int Times)>();
        var options = new MeshFlowEngineOptions();
        options.Tools.Add(AIFunctionFactory.Create((string command, int times) =>
        {
            calls.Add((command, times));
            return $"ran {command}";
        }, "shell"));
        var workflow = WorkflowYaml.Load("""
            name: operator
            nodes:
              - id: operator
                model: scripted
                tools: [shell]
                responses:
                  - tool_call: { name: shell, arguments: { command: "echo hello", times: 2 } }
                  - "Done."
            """);

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(options), workflow, "Clean up");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        Assert.Equal([("echo hello", 2)], calls);
        var call = Assert.Single(capture.Of<ToolCallEvent>());
        var result = Assert.Single(capture.Of<ToolResultEvent>());
        Assert.Equal(("call_1", "shell", """{"command":"echo hello","times":2}"""), (call.CallId, call.Name, call.Arguments));
        Assert.Equal(("call_1", "ran echo hello"), (result.CallId, result.Result));
        Assert.True(call.Seq < result.Seq);
        Assert.Equal("Done.", capture.Result.Output);
        Assert.Equal("ran echo hello", Assert.Single(Assert.Single(capture.Result.Steps).ToolCalls).Result);
    }

    [Fact]
    public async Task A_workflow_built_in_code_scripts_a_tool_call_the_same_way()
    {
        var count = 0;
        var shell = AIFunctionFactory.Create((string command) => $"{++count}: {command}", "shell");
        var workflow = new WorkflowBuilder("operator")
            .AddNode(new AgentNode("operator")
            {
                Model = ModelNames.Scripted,
                Tools = [shell],
                Responses = [ScriptedResponse.ToolCall("shell", new { command = "ls" }), "Done."],
            })
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "List", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(1, count);
        Assert.Equal("Done.", result.Output);
    }

    [Fact]
    public void Two_workflows_differing_only_in_a_scripted_tool_call_have_different_digests()
    {
        static Workflow Load(string command) => WorkflowYaml.Load($$"""
            name: operator
            nodes:
              - id: operator
                model: scripted
                tools: [shell]
                responses:
                  - tool_call: { name: shell, arguments: { command: {{command}} } }
                  - Done.
            """);

        Assert.Equal(Load("ls").Digest, Load("ls").Digest);
        Assert.NotEqual(Load("ls").Digest, Load("pwd").Digest);
    }
}
