using MeshFlow.Declarative;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Declarative;

public sealed class WorkflowJsonTests
{
    private const string ArchitectureExampleAsJson = """
        {
          "name": "review",
          "policy": "standard",
          "nodes": [
            { "id": "writer", "kind": "agent", "role": "writer", "instructions": "Draft the clause.", "model": "offline" },
            { "id": "critic", "kind": "agent", "model": "scripted", "responses": ["REVISE", "REVISE", "APPROVED"] }
          ],
          "edges": [
            { "from": "writer", "to": "critic" },
            { "from": "critic", "to": "writer", "loop": true, "when": "!contains(output, 'APPROVED')", "max_iterations": 3 }
          ]
        }
        """;

    [Fact]
    public void The_json_form_loads_to_the_same_workflow_as_the_yaml_form()
    {
        var fromJson = WorkflowYaml.Load(ArchitectureExampleAsJson);
        var fromYaml = WorkflowYaml.Load(WorkflowYamlLoadTests.ArchitectureExample);

        Assert.Equal(Describe(fromYaml), Describe(fromJson));
        Assert.Equal(fromYaml.Policy, fromJson.Policy);
    }

    [Fact]
    public void Json_policy_objects_and_numbers_are_read_like_yaml()
    {
        var workflow = WorkflowYaml.Load("""
            {"name": "j", "policy": {"mode": "dev", "max_steps": 3, "step_timeout": 1.5},
             "nodes": [{"id": "a", "temperature": 0.7}], "output": ["a"]}
            """);

        Assert.Equal(3, workflow.Policy.MaxSteps);
        Assert.Equal(TimeSpan.FromSeconds(1.5), workflow.Policy.StepTimeout);
        Assert.Equal(0.7f, Assert.IsType<AgentNode>(workflow.Nodes[0]).Temperature);
        Assert.Equal(["a"], workflow.OutputNodes);
    }

    [Fact]
    public void A_json_edge_to_an_unknown_node_is_reported_at_the_value()
    {
        var error = DefinitionAssert.SingleError("""
            {
              "name": "review",
              "nodes": [{ "id": "writer" }],
              "edges": [{ "from": "writer", "to": "critic" }]
            }
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.UnknownNode, 4, 39, "unknown node 'critic'", "'to'");
        Assert.Equal("edges[0].to", error.Path);
    }

    [Fact]
    public void A_json_condition_error_accounts_for_escaped_quotes()
    {
        var error = DefinitionAssert.SingleError("""
            {"name": "j", "nodes": [{"id": "a"}, {"id": "b"}],
             "edges": [{"from": "a", "to": "b", "when": "contains(output, \"x\") ?? true"}]}
            """);

        // The value starts at column 45; "contains(output, "x") " is 22 characters, 24 as written.
        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidCondition, 2, 70, "invalid condition");
    }

    [Fact]
    public void A_json_syntax_error_has_its_line_and_column()
    {
        var error = DefinitionAssert.SingleError("""
            {
              "name": "review"
              "nodes": []
            }
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.Syntax, 3, 3, "invalid YAML");
    }

    private static string Describe(Workflow workflow) =>
        string.Join("\n", workflow.Nodes.Select(Describe).Concat(workflow.Edges.Select(e =>
            $"{e} when {e.Condition?.Text ?? "-"}")).Append(string.Join(",", workflow.OutputNodes)));

    private static string Describe(WorkflowNode node) => node switch
    {
        AgentNode a => $"agent {a.Id} role={a.Role} agent={a.AgentId} model={a.Model} instructions={a.Instructions} " +
                       $"responses={string.Join("|", a.Responses)} tools={a.Tools.Count}",
        _ => $"{node.Kind} {node.Id}",
    };
}
