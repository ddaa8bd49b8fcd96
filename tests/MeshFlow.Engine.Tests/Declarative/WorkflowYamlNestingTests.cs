using System.Text;
using MeshFlow.Declarative;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Declarative;

public sealed class WorkflowYamlNestingTests
{
    private const string DepthMessage = "nesting deeper than 64 levels";

    [Fact]
    public void Forty_kilobytes_of_open_brackets_are_refused_at_the_bracket_that_opens_level_65()
    {
        var error = DefinitionAssert.SingleError(new string('[', 40 * 1024));

        DefinitionAssert.Error(error, WorkflowErrorCodes.Syntax, 1, WorkflowYaml.MaxNestingDepth + 1, "invalid YAML", DepthMessage);
    }

    [Fact]
    public void A_block_mapping_thousands_of_levels_deep_is_refused_at_the_line_of_level_65()
    {
        var text = new StringBuilder();
        for (var level = 0; level < 5000; level++)
        {
            text.Append(' ', 2 * level).Append("a:\n");
        }

        var error = DefinitionAssert.SingleError(text.ToString());

        // Level k is the mapping whose first key sits on line k, indented 2 * (k - 1).
        DefinitionAssert.Error(error, WorkflowErrorCodes.Syntax, 65, (2 * 64) + 1, DepthMessage);
    }

    [Fact]
    public void A_json_definition_nested_thousands_deep_is_refused_with_the_same_message()
    {
        const string Level = "{\"a\": ";
        var text = string.Concat(Enumerable.Repeat(Level, 5000)) + "1" + new string('}', 5000);

        var error = DefinitionAssert.SingleError(text);

        DefinitionAssert.Error(error, WorkflowErrorCodes.Syntax, 1, (Level.Length * 64) + 1, DepthMessage);
    }

    [Fact]
    public void Sixty_four_levels_are_read_and_sixty_five_are_refused()
    {
        // The root mapping is level 1, so 'output' holds levels 2 and deeper.
        static string Nested(int depth) => "name: t\nnodes:\n  - id: a\noutput: " + new string('[', depth - 1) + "a" + new string(']', depth - 1) + "\n";

        var atBound = DefinitionAssert.Errors(Nested(WorkflowYaml.MaxNestingDepth));
        var overBound = DefinitionAssert.SingleError(Nested(WorkflowYaml.MaxNestingDepth + 1));

        Assert.DoesNotContain(atBound, e => e.Message.Contains(DepthMessage, StringComparison.Ordinal));
        DefinitionAssert.Error(overBound, WorkflowErrorCodes.Syntax, 4, "output: ".Length + WorkflowYaml.MaxNestingDepth, DepthMessage);
    }

    [Fact]
    public void A_workflow_with_a_nested_tool_schema_still_validates()
    {
        var result = WorkflowYaml.Validate("""
            name: intake
            nodes:
              - id: reader
                instructions: Read the claim.
                tools:
                  - name: file_claim
                    description: Files one claim.
                    input_schema:
                      type: object
                      properties:
                        claim:
                          type: object
                          properties:
                            parties:
                              type: array
                              items:
                                type: object
                                properties:
                                  name: { type: string }
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }
}
