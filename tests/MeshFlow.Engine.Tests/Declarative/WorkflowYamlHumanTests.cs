using MeshFlow.Declarative;
using MeshFlow.Governance.Risk;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Declarative;

public sealed class WorkflowYamlHumanTests
{
    private const string Review = """
        name: review
        nodes:
          - id: writer
            model: offline
          - id: approve
            kind: human
            role: counsel
            instructions: Check the indemnity clause before it is sent.
          - id: send
            kind: router
        edges:
          - from: writer
            to: approve
          - from: approve
            to: send
        """;

    private static string WithHuman(string fields) => $"""
        name: t
        nodes:
          - id: approve
            kind: human
        {fields}
        """;

    [Fact]
    public void A_human_node_keeps_its_instructions_role_and_location()
    {
        var workflow = WorkflowYaml.Load(Review);

        var human = Assert.IsType<HumanNode>(workflow.FindNode("approve"));
        Assert.Equal(NodeKind.Human, human.Kind);
        Assert.Equal("Check the indemnity clause before it is sent.", human.Instructions);
        Assert.Equal("counsel", human.Role);
        Assert.Equal(new SourceLocation(5, 9), human.Location);
        Assert.Equal(["writer", "approve", "send"], workflow.Edges.SelectMany(e => new[] { e.From, e.To }).Distinct());
    }

    [Fact]
    public void A_human_node_reads_the_same_from_json_and_may_declare_a_risk()
    {
        var workflow = WorkflowYaml.Load("""
            {"name": "j", "nodes": [{"id": "approve", "kind": "human", "risk": "high", "instructions": "Approve the wire."}]}
            """);

        var human = Assert.IsType<HumanNode>(Assert.Single(workflow.Nodes));
        Assert.Equal(("Approve the wire.", RiskTier.High), (human.Instructions, human.Risk));
        Assert.Equal(new SourceLocation(1, 32), human.Location);
    }

    [Theory]
    [InlineData("    model: offline", "'model'", "agent nodes")]
    [InlineData("    tools: [search]", "'tools'", "agent nodes")]
    [InlineData("    responses: [APPROVED]", "'responses'", "agent nodes")]
    [InlineData("    agent_id: reviewer", "'agent_id'", "agent nodes")]
    [InlineData("    temperature: 0.2", "'temperature'", "agent nodes")]
    [InlineData("    max_output_tokens: 100", "'max_output_tokens'", "agent nodes")]
    [InlineData("    tool: search", "'tool'", "tool nodes (kind: tool)")]
    [InlineData("    arguments: { top: 3 }", "'arguments'", "tool nodes (kind: tool)")]
    public void A_field_of_a_model_or_a_tool_on_a_human_node_is_reported_at_it(string field, string name, string owner)
    {
        var error = DefinitionAssert.SingleError(WithHuman($"    instructions: Check it.\n{field}"));

        DefinitionAssert.Error(error, WorkflowErrorCodes.UnknownField, 6, 5,
            $"field {name} does not apply to node 'approve'", owner, "allowed: id, kind, role, risk, instructions");
        Assert.Equal($"nodes[0].{name.Trim('\'')}", error.Path);
    }

    [Fact]
    public void A_misspelt_field_on_a_human_node_gets_a_hint_and_the_instructions_are_still_missing()
    {
        var errors = DefinitionAssert.Errors(WithHuman("    instruction: Check it."));

        Assert.Equal([WorkflowErrorCodes.MissingField, WorkflowErrorCodes.UnknownField], errors.Select(e => e.Code));
        DefinitionAssert.Error(errors[1], WorkflowErrorCodes.UnknownField, 5, 5, "unknown field 'instruction'", "did you mean 'instructions'?");
    }

    [Fact]
    public void A_human_node_without_instructions_is_reported_at_the_node()
    {
        var error = DefinitionAssert.SingleError(WithHuman("    role: counsel"));

        DefinitionAssert.Error(error, WorkflowErrorCodes.MissingField, 3, 5,
            "node 'approve' is a human node but has no 'instructions'", "what the reviewer should check");
        Assert.Equal("nodes[0].instructions", error.Path);
    }

    [Theory]
    [InlineData("    instructions:", 5, 5)]
    [InlineData("    instructions: \"  \"", 5, 19)]
    public void Empty_instructions_are_reported_at_them(string line, int row, int column)
    {
        var error = DefinitionAssert.SingleError(WithHuman(line));

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, row, column, "'instructions' of node 'approve' is empty");
    }

    [Fact]
    public void Instructions_that_are_not_text_are_reported_at_their_value()
    {
        var error = DefinitionAssert.SingleError(WithHuman("    instructions: [check, it]"));

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, 5, 19, "'instructions' of node 'approve' must be a string", "a list");
    }

    [Fact]
    public void A_broken_human_node_still_takes_part_in_the_graph_checks()
    {
        var errors = DefinitionAssert.Errors("""
            name: t
            nodes:
              - id: approve
                kind: human
              - id: send
            edges:
              - from: approve
                to: send
            """);

        Assert.Equal(WorkflowErrorCodes.MissingField, Assert.Single(errors).Code);
    }
}
