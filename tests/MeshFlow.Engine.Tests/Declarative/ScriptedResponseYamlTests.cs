using MeshFlow.Agents;
using MeshFlow.Declarative;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Declarative;

public sealed class ScriptedResponseYamlTests
{
    private static string Definition(string response, string tools = "[shell, search]") => $"""
        name: t
        nodes:
          - id: a
          - id: operator
            model: scripted
            tools: {tools}
            responses:
        {response}
        """;

    private static AgentNode Operator(Workflow workflow) => Assert.IsType<AgentNode>(workflow.FindNode("operator"));

    [Fact]
    public void A_response_may_be_a_tool_call_with_arguments_or_text()
    {
        var workflow = WorkflowYaml.Load(Definition("""
                  - tool_call: { name: shell, arguments: { command: "rm -rf /", times: 2, flags: [-v] } }
                  - "Done."
            """));

        var responses = Operator(workflow).Responses;
        Assert.Equal(2, responses.Count);
        Assert.Equal("shell", responses[0].ToolName);
        Assert.Equal("""{"command":"rm -rf /","times":2,"flags":["-v"]}""", responses[0].Arguments!.Value.GetRawText());
        Assert.Equal(ScriptedResponse.FromText("Done."), responses[1]);
    }

    [Fact]
    public void A_tool_call_without_arguments_has_none()
    {
        var workflow = WorkflowYaml.Load(Definition("      - tool_call: { name: search }"));

        Assert.Equal(ScriptedResponse.ToolCall("search"), Assert.Single(Operator(workflow).Responses));
    }

    [Fact]
    public void A_json_workflow_scripts_tool_calls_like_yaml()
    {
        const string Json = """
            {"name": "t", "nodes": [{"id": "a"}, {"id": "operator", "model": "scripted", "tools": ["shell", "search"],
              "responses": [{"tool_call": {"name": "shell", "arguments": {"command": "rm -rf /", "times": 2, "flags": ["-v"]}}}, "Done."]}]}
            """;
        var yaml = WorkflowYaml.Load(Definition("""
                  - tool_call: { name: shell, arguments: { command: "rm -rf /", times: 2, flags: [-v] } }
                  - Done.
            """));

        Assert.Equal(Operator(yaml).Responses, Operator(WorkflowYaml.Load(Json)).Responses);
        Assert.Equal(yaml.Digest, WorkflowYaml.Load(Json).Digest);
    }

    [Theory]
    [InlineData("      - tool_cal: { name: shell }", WorkflowErrorCodes.UnknownField, 8, 9, "nodes[1].responses[0].tool_cal", "unknown field 'tool_cal'", "did you mean 'tool_call'?")]
    [InlineData("      - tool_call: { name: shell, args: {} }", WorkflowErrorCodes.UnknownField, 8, 35, "nodes[1].responses[0].tool_call.args", "unknown field 'args'", "allowed: name, arguments")]
    [InlineData("      - tool_call: { arguments: { a: 1 } }", WorkflowErrorCodes.MissingField, 8, 20, "nodes[1].responses[0].tool_call.name", "has no 'name'", "name: search")]
    [InlineData("      - tool_call: { name: shell, arguments: ls }", WorkflowErrorCodes.InvalidValue, 8, 46, "nodes[1].responses[0].tool_call.arguments", "'arguments' of the tool_call of entry 1", "a mapping")]
    [InlineData("      - tool_call: { name: shel }", WorkflowErrorCodes.UnknownTool, 8, 28, "nodes[1].responses[0].tool_call.name", "tool 'shel'", "did you mean 'shell'?", "declared: shell, search")]
    [InlineData("      - tool_call: { name: [shell] }", WorkflowErrorCodes.InvalidValue, 8, 28, "nodes[1].responses[0].tool_call.name", "'name'", "a tool name", "a list")]
    [InlineData("      - tool_call: { name: \"\" }", WorkflowErrorCodes.InvalidValue, 8, 28, "nodes[1].responses[0].tool_call.name", "'name'", "is empty")]
    [InlineData("      - tool_call: shell", WorkflowErrorCodes.InvalidValue, 8, 20, "nodes[1].responses[0].tool_call", "'tool_call' of entry 1 of 'responses' of node 'operator'", "a mapping", "the string 'shell'")]
    [InlineData("      - [a, b]", WorkflowErrorCodes.InvalidValue, 8, 9, "nodes[1].responses[0]", "entry 1 of 'responses'", "must be a string, or a tool call", "a list")]
    [InlineData("      - {}", WorkflowErrorCodes.MissingField, 8, 9, "nodes[1].responses[0]", "an empty mapping", "tool_call")]
    public void A_wrong_tool_call_is_reported_at_its_line_and_column(
        string response, string code, int line, int column, string path, params string[] words)
    {
        var error = DefinitionAssert.SingleError(Definition(response));

        DefinitionAssert.Error(error, code, line, column, words);
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void A_tool_call_on_a_node_that_declares_no_tools_says_how_to_declare_it()
    {
        var error = DefinitionAssert.SingleError(Definition("      - tool_call: { name: shell }", tools: "[]"));

        DefinitionAssert.Error(error, WorkflowErrorCodes.UnknownTool, 8, 28, "it declares none", "add 'tools: [shell]'");
    }

    [Fact]
    public void Every_wrong_response_is_reported_and_the_right_ones_are_not()
    {
        var errors = DefinitionAssert.Errors(Definition("""
                  - Fine.
                  - tool_call: { name: shel }
                  - tool_call: { name: search, arguments: 3 }
            """));

        Assert.Equal(["nodes[1].responses[1].tool_call.name", "nodes[1].responses[2].tool_call.arguments"], errors.Select(e => e.Path));
    }
}
