using MeshFlow.Workflows;

namespace MeshFlow.Tests.Declarative;

public sealed class WorkflowYamlErrorTests
{
    [Fact]
    public void An_edge_to_an_unknown_node_points_at_the_to_value()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
              - id: b
            edges:
              - from: a
                to: c
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.UnknownNode, 7, 9, "unknown node 'c'", "known nodes: a, b");
        Assert.Equal("edges[0].to", error.Path);
    }

    [Fact]
    public void An_edge_without_to_is_a_dangling_edge_reported_once_at_the_edge()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
              - id: b
            edges:
              - from: a
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.DanglingEdge, 6, 5, "edge 1", "no 'to'");
    }

    [Fact]
    public void An_undeclared_cycle_names_its_nodes_in_order_at_the_closing_edge()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
              - id: b
              - id: c
            edges:
              - from: a
                to: b
              - from: b
                to: c
              - from: c
                to: a
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.UndeclaredCycle, 11, 5, "a → b → c → a", "'c->a'", "loop: true");
    }

    [Fact]
    public void A_loop_edge_that_closes_no_cycle_is_reported()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
              - id: b
            edges:
              - from: a
                to: b
                loop: true
                when: "iteration < 2"
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.LoopWithoutCycle, 6, 5, "'a->b'", "does not close a cycle");
    }

    [Fact]
    public void An_unknown_policy_mode_is_reported_at_the_policy_value()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            policy: turbo
            nodes:
              - id: a
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.UnknownPolicyMode, 2, 9);
        Assert.Equal("unknown policy mode 'turbo' (expected dev, standard, strict, hipaa)", error.Message);
    }

    [Fact]
    public void An_unknown_mode_and_field_in_a_policy_mapping_are_both_reported()
    {
        var errors = DefinitionAssert.Errors("""
            name: t
            policy:
              mode: turbo
              max_step: 3
              step_timeout: soon
            nodes:
              - id: a
            """);

        Assert.Collection(errors,
            mode => DefinitionAssert.Error(mode, WorkflowErrorCodes.UnknownPolicyMode, 3, 9, "'turbo'"),
            field => DefinitionAssert.Error(field, WorkflowErrorCodes.UnknownField, 4, 3,
                "unknown field 'max_step'", "did you mean 'max_steps'?", "mode, max_steps, max_tokens, max_cost_usd, step_timeout"),
            timeout => DefinitionAssert.Error(timeout, WorkflowErrorCodes.InvalidValue, 5, 17,
                "'step_timeout'", "500ms, 30s, 2m or 1h", "'soon'"));
    }

    [Theory]
    [InlineData("\"contains(output 'x')\"", 28, "expected")]
    [InlineData("'contains(output, ''x'') @ 1'", 36, "'@'")]
    [InlineData("contains(output, 'x') @ true", 33, "'@'")]
    public void An_unparsable_condition_points_at_the_offending_character(string condition, int column, string word)
    {
        var error = DefinitionAssert.SingleError($"""
            name: t
            nodes:
              - id: a
              - id: b
            edges:
              - from: a
                to: b
                when: {condition}
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidCondition, 8, column, "invalid condition", "edge 1 (a->b)", word);
        Assert.Equal("edges[0].when", error.Path);
    }

    [Fact]
    public void A_condition_in_a_block_scalar_is_reported_at_the_scalar()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
              - id: b
            edges:
              - from: a
                to: b
                when: |
                  contains(output,
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidCondition, 8, 11, "invalid condition");
    }

    [Fact]
    public void A_duplicate_id_points_at_the_second_id()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: writer
              - id: critic
              - role: again
                id: writer
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.DuplicateId, 6, 9, "duplicate node id 'writer'", "first declared at line 3, column 9");
        Assert.Equal("nodes[2].id", error.Path);
    }

    [Fact]
    public void An_invalid_node_id_is_reported_at_the_id()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: "has space"
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, 3, 9, "node id 'has space' is not valid");
    }

    [Fact]
    public void An_unknown_node_kind_lists_the_valid_kinds()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
                kind: agnet
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.UnknownNodeKind, 4, 11,
            "unknown node kind 'agnet'", "did you mean 'agent'?", "agent, native, tool, router");
    }

    [Fact]
    public void A_rag_node_without_its_knowledge_base_is_reported_at_the_node()
    {
        var errors = DefinitionAssert.Errors("""
            name: t
            nodes:
              - id: a
                kind: rag
              - id: b
            edges:
              - from: a
                to: b
            """);

        DefinitionAssert.Error(Assert.Single(errors), WorkflowErrorCodes.MissingField, 3, 5,
            "node 'a' is a rag node but has no 'knowledge'");
    }

    [Fact]
    public void An_unknown_field_is_named_with_the_allowed_ones()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
                instruction: Draft.
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.UnknownField, 4, 5,
            "unknown field 'instruction'", "node 'a'", "did you mean 'instructions'?", "allowed: id, kind, role");
    }

    [Fact]
    public void A_field_of_another_node_kind_says_where_it_belongs()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
                tool: search
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.UnknownField, 4, 5, "'tool'", "does not apply to node 'a'", "tool nodes");
    }

    [Fact]
    public void An_unknown_top_level_field_is_reported()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodse: []
            nodes:
              - id: a
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.UnknownField, 2, 1,
            "unknown field 'nodse'", "the workflow", "did you mean 'nodes'?", "name, description, policy, output, nodes, edges");
    }

    [Fact]
    public void Max_iterations_without_loop_is_reported_at_its_value()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
              - id: b
            edges:
              - from: a
                to: b
                max_iterations: 3
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, 8, 21, "'max_iterations'", "only applies to loop edges", "loop: true");
    }

    [Fact]
    public void Max_iterations_of_zero_is_reported_at_its_value()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
              - id: b
            edges:
              - from: a
                to: b
              - from: b
                to: a
                loop: true
                when: iteration < 3
                max_iterations: 0
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, 12, 21, "'max_iterations'", "edge 2 (b->a)", "at least 1", "but is 0");
        Assert.Equal("edges[1].max_iterations", error.Path);
    }

    [Fact]
    public void Max_iterations_beyond_the_integer_range_is_reported_at_its_value()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
            edges:
              - from: a
                to: a
                loop: true
                when: "true"
                max_iterations: 99999999999
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, 9, 21, "'max_iterations'", "at most 2147483647");
    }

    [Fact]
    public void A_loop_edge_without_when_is_a_missing_field()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
              - id: b
            edges:
              - from: a
                to: b
              - from: b
                to: a
                loop: true
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.MissingField, 8, 5, "edge 2 (b->a)", "a loop edge needs a 'when' condition");
    }

    [Fact]
    public void A_scripted_model_without_responses_is_a_missing_field()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: critic
                model: scripted
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.MissingField, 3, 5, "node 'critic'", "model: scripted", "no 'responses'");
    }

    [Fact]
    public void Scripted_responses_must_not_be_empty()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: critic
                model: scripted
                responses: []
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, 5, 16, "'responses'", "empty", "at least one response");
    }

    [Fact]
    public void Responses_with_another_model_are_reported()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: critic
                model: offline
                responses: [APPROVED]
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, 5, 16, "'responses'", "only apply to model: scripted", "'offline'");
    }

    [Theory]
    [InlineData("    tools: search", 4, 12, "'tools'", "a list of tool names", "the string 'search'")]
    [InlineData("    temperature: hot", 4, 18, "'temperature'", "a number", "'hot'")]
    [InlineData("    temperature: 3", 4, 18, "'temperature'", "between 0 and 2", "3")]
    [InlineData("    max_output_tokens: 1.5", 4, 24, "'max_output_tokens'", "a whole number", "the number 1.5")]
    [InlineData("    instructions: [a, b]", 4, 19, "'instructions'", "a string", "a list")]
    [InlineData("    responses: { a: 1 }", 4, 16, "'responses'", "a list of responses", "a mapping")]
    public void A_node_field_of_the_wrong_kind_names_the_field_and_what_was_expected(
        string line, int row, int column, string field, string expected, string found)
    {
        var error = DefinitionAssert.SingleError($"""
            name: t
            nodes:
              - id: a
            {line}
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, row, column, field, expected, found);
    }

    [Theory]
    [InlineData("    loop: yes", 8, 11, "'loop'", "true or false", "'yes'")]
    [InlineData("    loop: \"true\"", 8, 11, "'loop'", "true or false", "remove the quotes")]
    [InlineData("    max_iterations: three", 8, 21, "'max_iterations'", "a whole number", "'three'")]
    [InlineData("    to: [b]", 8, 9, "'to'", "a node id", "a list")]
    public void An_edge_field_of_the_wrong_kind_names_the_field_and_what_was_expected(
        string line, int row, int column, string field, string expected, string found)
    {
        var to = line.StartsWith("    to:", StringComparison.Ordinal) ? string.Empty : "    to: a";
        var error = DefinitionAssert.SingleError($"""
            name: t
            nodes:
              - id: a
              - id: b
            edges:
              - from: b
                when: "true"
            {line}
            {to}
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, row, column, field, expected, found);
    }

    [Fact]
    public void Missing_name_and_nodes_are_reported_at_the_document()
    {
        var errors = DefinitionAssert.Errors("""
            description: nothing else
            edges: []
            """);

        Assert.Collection(errors,
            name => DefinitionAssert.Error(name, WorkflowErrorCodes.MissingField, 1, 1, "no 'name'"),
            nodes => DefinitionAssert.Error(nodes, WorkflowErrorCodes.MissingField, 1, 1, "no 'nodes'"));
    }

    [Fact]
    public void A_node_without_an_id_is_reported_and_the_others_are_still_checked()
    {
        var errors = DefinitionAssert.Errors("""
            name: t
            nodes:
              - role: nameless
              - id: b
                kind: wizard
            """);

        Assert.Collection(errors,
            id => DefinitionAssert.Error(id, WorkflowErrorCodes.MissingField, 3, 5, "node 1", "no 'id'"),
            kind => DefinitionAssert.Error(kind, WorkflowErrorCodes.UnknownNodeKind, 5, 11, "'wizard'"));
    }

    [Fact]
    public void An_output_naming_an_unknown_node_is_reported_at_the_name()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            output: [a, writter]
            nodes:
              - id: a
              - id: writer
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.UnknownNode, 2, 13, "unknown node 'writter'", "did you mean 'writer'?");
    }

    [Fact]
    public void Five_different_problems_are_all_reported_sorted_by_position()
    {
        var errors = DefinitionAssert.Errors("""
            name: five
            policy: turbo
            nodes:
              - id: a
                kind: robot
              - id: b
                colour: blue
              - id: a
            edges:
              - from: a
                to: nowhere
            """);

        Assert.Collection(errors,
            e => DefinitionAssert.Error(e, WorkflowErrorCodes.UnknownPolicyMode, 2, 9, "'turbo'"),
            e => DefinitionAssert.Error(e, WorkflowErrorCodes.UnknownNodeKind, 5, 11, "'robot'"),
            e => DefinitionAssert.Error(e, WorkflowErrorCodes.UnknownField, 7, 5, "'colour'"),
            e => DefinitionAssert.Error(e, WorkflowErrorCodes.DuplicateId, 8, 9, "'a'"),
            e => DefinitionAssert.Error(e, WorkflowErrorCodes.UnknownNode, 11, 9, "'nowhere'"));
    }
}
