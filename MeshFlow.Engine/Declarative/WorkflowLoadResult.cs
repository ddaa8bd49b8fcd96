using MeshFlow.Workflows;

namespace MeshFlow.Declarative;

/// <summary>What <see cref="WorkflowYaml.Validate"/> found: the workflow, or every problem with its line and column.</summary>
/// <param name="Workflow">The loaded workflow; null when the definition has problems.</param>
/// <param name="Errors">Every problem found, sorted by line and column; empty when the definition is valid.</param>
public sealed record WorkflowLoadResult(Workflow? Workflow, IReadOnlyList<WorkflowValidationError> Errors)
{
    /// <summary>True when the definition has no problems and <see cref="Workflow"/> is set.</summary>
    public bool IsValid => Workflow is not null && Errors.Count == 0;

    /// <summary>The definition's <c>description</c>, trimmed; null when it has none (the workflow itself does not keep it).</summary>
    public string? Description { get; init; }
}
