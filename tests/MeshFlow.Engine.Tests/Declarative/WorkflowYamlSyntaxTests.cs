using MeshFlow.Declarative;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Declarative;

public sealed class WorkflowYamlSyntaxTests
{
    [Fact]
    public void An_unclosed_quote_is_a_syntax_error_at_its_line()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
                instructions: "Draft the clause.
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.Syntax, 4, 19, "invalid YAML", "quoted");
        Assert.DoesNotContain("Idx:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_indentation_is_a_syntax_error_at_its_line()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
                kind: agent
               role: writer
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.Syntax, 5, 4, "invalid YAML", "indentation");
    }

    [Fact]
    public void An_unclosed_list_across_lines_is_reported_with_where_it_was_opened()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            output: [a, b
            nodes:
              - id: a
            """);

        Assert.Equal(WorkflowErrorCodes.Syntax, error.Code);
        Assert.Equal(3, error.Line);
        Assert.Contains("'[' opened at line 2, column 9 is not closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tab_used_as_indentation_is_a_syntax_error_at_its_line()
    {
        var error = DefinitionAssert.SingleError("name: t\nnodes:\n\t- id: a\n");

        DefinitionAssert.Error(error, WorkflowErrorCodes.Syntax, 3, 1, "invalid YAML", "tab");
    }

    [Fact]
    public void An_alias_to_no_anchor_is_a_syntax_error_at_the_alias()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: *writer
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.Syntax, 3, 9, "'*writer'", "no anchor");
    }

    [Fact]
    public void Anchors_and_aliases_are_followed()
    {
        var workflow = WorkflowYaml.Load("""
            name: t
            nodes:
              - id: &first a
              - id: b
            edges:
              - from: *first
                to: b
            """);

        Assert.Equal("a", workflow.Edges[0].From);
    }

    [Fact]
    public void A_duplicate_key_is_a_syntax_error_at_the_second_key()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
            name: u
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.Syntax, 4, 1, "'name' appears twice");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("# only a comment\n")]
    [InlineData("~")]
    public void An_empty_document_is_reported(string text)
    {
        var error = DefinitionAssert.SingleError(text);

        DefinitionAssert.Error(error, WorkflowErrorCodes.EmptyWorkflow, 1, 1, "the definition is empty");
    }

    [Fact]
    public void A_document_that_is_not_a_mapping_is_reported()
    {
        var error = DefinitionAssert.SingleError("- id: a\n");

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, 1, 1, "a workflow definition is a mapping", "a list");
    }

    [Fact]
    public void A_second_document_is_reported_where_it_starts()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
            ---
            name: u
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.Syntax, 5, 1, "single YAML document");
    }

    [Fact]
    public void Positions_are_right_with_windows_line_endings()
    {
        var error = DefinitionAssert.SingleError(
            "name: t\r\nnodes:\r\n  - id: a\r\n  - id: b\r\nedges:\r\n  - from: a\r\n    to: b\r\n    when: \"output == \r\n      ?\"\r\n");

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidCondition, 9, 7, "invalid condition");
    }

    [Fact]
    public void A_byte_order_mark_is_ignored()
    {
        var workflow = WorkflowYaml.Load("\uFEFFname: bom\nnodes:\n  - id: a\n");

        Assert.Equal("bom", workflow.Name);
    }
}
