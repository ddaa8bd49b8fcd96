using MeshFlow.Declarative;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Declarative;

/// <summary>Loads definitions that should fail and checks what was reported.</summary>
internal static class DefinitionAssert
{
    public static IReadOnlyList<WorkflowValidationError> Errors(string text, WorkflowLoadOptions? options = null)
    {
        var result = WorkflowYaml.Validate(text, options);
        Assert.False(result.IsValid);
        Assert.Null(result.Workflow);
        Assert.NotEmpty(result.Errors);
        return result.Errors;
    }

    public static WorkflowValidationError SingleError(string text, WorkflowLoadOptions? options = null) =>
        Assert.Single(Errors(text, options));

    public static void Error(WorkflowValidationError error, string code, int line, int column, params string[] words)
    {
        Assert.Equal(code, error.Code);
        Assert.Equal(new SourceLocation(line, column), error.Location);
        foreach (var word in words)
        {
            Assert.Contains(word, error.Message, StringComparison.Ordinal);
        }
    }
}
