using MeshFlow.Declarative;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Declarative;

public sealed class WorkflowYamlToolTests
{
    private const string Definition = """
        name: research
        nodes:
          - id: researcher
            tools: [search]
          - id: lookup
            kind: tool
            tool: search
            arguments: { top: 3 }
        edges:
          - from: researcher
            to: lookup
        """;

    private static readonly AIFunction Search = AIFunctionFactory.Create((string input) => $"results for {input}", "search");

    [Fact]
    public void Registered_tools_are_resolved_for_agents_and_tool_nodes()
    {
        var options = new WorkflowLoadOptions { Tools = new Dictionary<string, AIFunction> { ["search"] = Search } };

        var workflow = WorkflowYaml.Load(Definition, options);

        Assert.Same(Search, Assert.Single(Assert.IsType<AgentNode>(workflow.Nodes[0]).Tools));
        var lookup = Assert.IsType<ToolNode>(workflow.Nodes[1]);
        Assert.Same(Search, lookup.Tool);
        Assert.Equal(3L, lookup.Arguments["top"]);
    }

    [Fact]
    public void Without_registered_tools_names_are_not_checked_and_kept_for_the_engine()
    {
        var workflow = WorkflowYaml.Load(Definition
            .Replace("[search]", "[not_registered_anywhere]", StringComparison.Ordinal)
            .Replace("tool: search", "tool: not_registered_anywhere", StringComparison.Ordinal));

        var agentTool = Assert.Single(Assert.IsType<AgentNode>(workflow.Nodes[0]).Tools);
        Assert.Equal("not_registered_anywhere", agentTool.Name);
        var lookup = Assert.IsType<ToolNode>(workflow.Nodes[1]);
        Assert.Null(lookup.Tool);
        Assert.Equal("not_registered_anywhere", lookup.ToolName);
    }

    [Fact]
    public void An_unknown_tool_name_is_reported_when_tools_are_given()
    {
        var options = new WorkflowLoadOptions { Tools = new Dictionary<string, AIFunction> { ["search"] = Search } };

        var errors = DefinitionAssert.Errors(
            Definition.Replace("[search]", "[serch]", StringComparison.Ordinal)
                .Replace("tool: search", "tool: serch", StringComparison.Ordinal),
            options);

        Assert.Collection(errors,
            agent => DefinitionAssert.Error(agent, WorkflowErrorCodes.UnknownTool, 4, 13,
                "unknown tool 'serch'", "node 'researcher'", "did you mean 'search'?", "registered tools: search"),
            tool => DefinitionAssert.Error(tool, WorkflowErrorCodes.UnknownTool, 7, 11,
                "unknown tool 'serch'", "node 'lookup'"));
    }

    [Fact]
    public void A_tool_node_without_a_tool_is_reported_at_the_node()
    {
        var error = DefinitionAssert.SingleError("""
            name: research
            nodes:
              - id: lookup
                kind: tool
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.MissingField, 3, 5, "node 'lookup'", "no 'tool'");
    }
}
