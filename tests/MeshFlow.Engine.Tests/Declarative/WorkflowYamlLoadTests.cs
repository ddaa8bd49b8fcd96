using MeshFlow.Declarative;
using MeshFlow.Governance;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Declarative;

public sealed class WorkflowYamlLoadTests
{
    internal const string ArchitectureExample = """
        name: review
        policy: standard
        nodes:
          - id: writer
            kind: agent
            role: writer
            instructions: Draft the clause.
            model: offline
          - id: critic
            kind: agent
            model: scripted
            responses: [REVISE, REVISE, APPROVED]
        edges:
          - from: writer
            to: critic
          - from: critic
            to: writer
            loop: true
            when: "!contains(output, 'APPROVED')"
            max_iterations: 3
        """;

    [Fact]
    public void The_architecture_example_loads_with_a_forward_edge_and_a_bounded_loop_edge()
    {
        var workflow = WorkflowYaml.Load(ArchitectureExample);

        Assert.Equal("review", workflow.Name);
        Assert.Equal(PolicyModes.Standard, workflow.Policy.Mode);
        Assert.Equal(Policy.ForMode(PolicyModes.Standard), workflow.Policy);
        Assert.Collection(workflow.Nodes,
            n => Assert.Equal("writer", n.Id),
            n => Assert.Equal("critic", n.Id));
        Assert.Collection(workflow.Edges,
            forward =>
            {
                Assert.Equal(("writer", "critic", false), (forward.From, forward.To, forward.IsLoop));
                Assert.Null(forward.Condition);
            },
            loop =>
            {
                Assert.Equal(("critic", "writer", true, 3), (loop.From, loop.To, loop.IsLoop, loop.MaxIterations));
                Assert.Equal("!contains(output, 'APPROVED')", loop.Condition?.Text);
            });
        Assert.Empty(workflow.OutputNodes);
    }

    [Fact]
    public void Agent_fields_and_scripted_responses_are_carried_over()
    {
        var workflow = WorkflowYaml.Load(ArchitectureExample);

        var writer = Assert.IsType<AgentNode>(workflow.FindNode("writer"));
        Assert.Equal(("writer", "Draft the clause.", "offline"), (writer.Role, writer.Instructions, writer.Model));
        Assert.Equal(new SourceLocation(4, 9), writer.Location);
        var critic = Assert.IsType<AgentNode>(workflow.FindNode("critic"));
        Assert.Equal("scripted", critic.Model);
        Assert.Equal(["REVISE", "REVISE", "APPROVED"], critic.Responses);
        Assert.Equal(new SourceLocation(16, 5), workflow.Edges[1].Location);
    }

    [Fact]
    public void Optional_agent_settings_are_read()
    {
        var workflow = WorkflowYaml.Load("""
            name: tuned
            description: One agent with every setting.
            nodes:
              - id: writer
                kind: native
                agent_id: writer-v2
                temperature: 0.2
                max_output_tokens: 500
            """);

        var writer = Assert.IsType<AgentNode>(Assert.Single(workflow.Nodes));
        Assert.Equal("writer-v2", writer.AgentId);
        Assert.Equal(0.2f, writer.Temperature);
        Assert.Equal(500, writer.MaxOutputTokens);
        Assert.Null(writer.Model);
    }

    [Fact]
    public void The_policy_defaults_to_standard_when_absent()
    {
        var workflow = WorkflowYaml.Load("""
            name: minimal
            nodes:
              - id: only
            """);

        Assert.Equal(Policy.ForMode(PolicyModes.Standard), workflow.Policy);
        Assert.IsType<AgentNode>(Assert.Single(workflow.Nodes));
    }

    [Fact]
    public void A_policy_mapping_overrides_the_limits_of_its_mode()
    {
        var workflow = WorkflowYaml.Load("""
            name: limited
            policy: { mode: strict, max_steps: 20, max_tokens: 5000, max_cost_usd: 0.5, step_timeout: 30s }
            nodes:
              - id: only
            """);

        Assert.Equal(
            Policy.ForMode(PolicyModes.Strict) with
            {
                MaxSteps = 20, MaxTokens = 5000, MaxCostUsd = 0.5m, StepTimeout = TimeSpan.FromSeconds(30),
            },
            workflow.Policy);
    }

    [Fact]
    public void A_policy_mapping_without_a_mode_starts_from_standard()
    {
        var workflow = WorkflowYaml.Load("""
            name: limited
            policy:
              max_steps: 7
            nodes:
              - id: only
            """);

        Assert.Equal(Policy.ForMode(PolicyModes.Standard) with { MaxSteps = 7 }, workflow.Policy);
    }

    [Theory]
    [InlineData("30", 30_000)]
    [InlineData("1.5", 1_500)]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("'45s'", 45_000)]
    public void Step_timeout_accepts_seconds_and_durations_with_a_unit(string value, int milliseconds)
    {
        var workflow = WorkflowYaml.Load($"""
            name: timed
            policy:
              step_timeout: {value}
            nodes:
              - id: only
            """);

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), workflow.Policy.StepTimeout);
    }

    [Fact]
    public void Output_accepts_a_single_node_id_or_a_list()
    {
        const string Nodes = """
            nodes:
              - id: a
              - id: b
            edges:
              - from: a
                to: b
            """;

        Assert.Equal(["a"], WorkflowYaml.Load("name: one\noutput: a\n" + Nodes).OutputNodes);
        Assert.Equal(["b", "a"], WorkflowYaml.Load("name: two\noutput: [b, a]\n" + Nodes).OutputNodes);
    }

    [Fact]
    public void Router_and_tool_nodes_load_and_tool_arguments_get_inferred_types()
    {
        var workflow = WorkflowYaml.Load("""
            name: lookup
            nodes:
              - id: route
                kind: router
                role: dispatcher
              - id: search
                kind: tool
                tool: web_search
                arguments: { top: 3, ratio: 0.5, exact: true, label: "3", query: plain text, none: ~, tags: [a, 2] }
            edges:
              - from: route
                to: search
                when: "len(output) > 0"
            """);

        var router = Assert.IsType<RouterNode>(workflow.Nodes[0]);
        Assert.Equal("dispatcher", router.Role);
        var tool = Assert.IsType<ToolNode>(workflow.Nodes[1]);
        Assert.Equal("web_search", tool.ToolName);
        Assert.Null(tool.Tool);
        Assert.Equal(3L, tool.Arguments["top"]);
        Assert.Equal(0.5, tool.Arguments["ratio"]);
        Assert.Equal(true, tool.Arguments["exact"]);
        Assert.Equal("3", tool.Arguments["label"]);
        Assert.Equal("plain text", tool.Arguments["query"]);
        Assert.Null(tool.Arguments["none"]);
        Assert.Equal(new List<object?> { "a", 2L }, tool.Arguments["tags"]);
        Assert.Equal("len(output) > 0", workflow.Edges[0].Condition?.Text);
    }

    [Fact]
    public void LoadFile_reads_a_definition_from_disk()
    {
        var path = Path.Combine(Path.GetTempPath(), $"meshflow-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, ArchitectureExample);
        try
        {
            var workflow = WorkflowYaml.LoadFile(path);

            Assert.Equal("review", workflow.Name);
            Assert.Equal(2, workflow.Edges.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_throws_with_every_problem_and_Validate_returns_them()
    {
        const string Text = """
            name: broken
            policy: turbo
            nodes:
              - id: a
                kind: robot
            """;

        var exception = Assert.Throws<WorkflowValidationException>(() => WorkflowYaml.Load(Text));
        var result = WorkflowYaml.Validate(Text);

        Assert.Equal(2, exception.Errors.Count);
        Assert.Equal(exception.Errors, result.Errors);
        Assert.False(result.IsValid);
        Assert.Contains("2:9: unknown policy mode 'turbo'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("5:11: unknown node kind 'robot'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_definition_validates_without_errors()
    {
        var result = WorkflowYaml.Validate(ArchitectureExample);

        Assert.True(result.IsValid);
        Assert.NotNull(result.Workflow);
        Assert.Empty(result.Errors);
    }
}
