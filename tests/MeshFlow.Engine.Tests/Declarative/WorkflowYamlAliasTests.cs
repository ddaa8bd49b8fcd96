using System.Text;
using MeshFlow.Declarative;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Declarative;

/// <summary>Aliases count as the values they stand for: the nesting bound and the size bound hold once they are expanded.</summary>
public sealed class WorkflowYamlAliasTests
{
    private const string DepthMessage = "nesting deeper than 64 levels";

    [Fact]
    public void An_input_schema_built_from_80_chained_aliases_is_refused_at_the_alias_that_crosses_level_64()
    {
        var text = new StringBuilder("""
            name: t
            nodes:
              - id: a
                tools:
                  - name: deep
                    input_schema:
                      type: object
                      properties:
                        d0: &d0 { type: string }

            """);
        for (var i = 1; i < 80; i++)
        {
            text.Append(CultureInvariant($"            d{i}: &d{i} {{ properties: {{ p: *d{i - 1} }} }}\n"));
        }

        // d(i) is 2i + 1 levels deep and its alias of d(i-1) sits 9 levels down: d29's alias is the first to pass 64.
        var error = DefinitionAssert.SingleError(text.ToString());

        var (line, column) = Find(text.ToString(), "*d28 ");
        DefinitionAssert.Error(error, WorkflowErrorCodes.Syntax, line, column, DepthMessage, "'*d28'");
    }

    [Fact]
    public void Tool_arguments_built_from_80_chained_aliases_are_refused_at_the_alias_that_crosses_level_64()
    {
        var text = new StringBuilder("""
            name: t
            nodes:
              - id: lookup
                kind: tool
                tool: search
                arguments:
                  d0: &d0 { p: 1 }

            """);
        for (var i = 1; i < 80; i++)
        {
            text.Append(CultureInvariant($"      d{i}: &d{i} {{ p: *d{i - 1} }}\n"));
        }

        // d(i) is i + 1 levels deep and its alias of d(i-1) sits 5 levels down: d60's alias is the first to pass 64.
        var error = DefinitionAssert.SingleError(text.ToString());

        var (line, column) = Find(text.ToString(), "*d59 ");
        DefinitionAssert.Error(error, WorkflowErrorCodes.Syntax, line, column, DepthMessage, "'*d59'");
    }

    [Fact]
    public void Aliases_that_each_repeat_the_previous_twice_are_refused_before_they_multiply()
    {
        var text = new StringBuilder("name: t\nnodes:\n  - id: a\nl0: &l0 [lol, lol]\n");
        for (var i = 1; i < 40; i++)
        {
            text.Append(CultureInvariant($"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]\n"));
        }

        var error = DefinitionAssert.SingleError(text.ToString());

        Assert.Equal(WorkflowErrorCodes.Syntax, error.Code);
        Assert.Contains($"aliases expand the document past {TrackingParser.MaxExpandedValues} values", error.Message, StringComparison.Ordinal);
        // l(i) holds 2^(i+2) - 1 values, so l0 to l13 hold about 2^17 and l14's second alias of l13 crosses 100,000.
        var (line, column) = Find(text.ToString(), ", *l13]");
        Assert.Equal(new SourceLocation(line, column + 2), error.Location);
    }

    [Fact]
    public void An_alias_inside_the_collection_its_anchor_opens_is_refused_at_the_alias()
    {
        var error = DefinitionAssert.SingleError("name: t\nnodes:\n  - id: a\nloop: &loop [a, *loop]\n");

        DefinitionAssert.Error(error, WorkflowErrorCodes.Syntax, 4, 17, DepthMessage, "'*loop'");
    }

    [Fact]
    public void A_workflow_that_reuses_an_anchored_schema_and_text_still_validates()
    {
        var result = WorkflowYaml.Validate("""
            name: intake
            nodes:
              - id: reader
                instructions: &read Read the claim and file it.
                tools:
                  - name: file_claim
                    description: Files one claim.
                    input_schema: &claim
                      type: object
                      properties:
                        claim: { type: string }
              - id: checker
                instructions: *read
                tools:
                  - name: file_appeal
                    description: Files one appeal.
                    input_schema: *claim
            edges:
              - from: reader
                to: checker
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    // The 1-based line and column where the text first holds the marker.
    private static (int Line, int Column) Find(string text, string marker)
    {
        var index = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(index >= 0, marker);
        var lineStart = text.LastIndexOf('\n', Math.Max(index - 1, 0)) + 1;
        return (text[..index].Count(c => c == '\n') + 1, index - lineStart + 1);
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
