namespace MeshFlow.Workflows;

/// <summary>A workflow definition has problems; <see cref="Errors"/> lists every one found, not only the first.</summary>
public sealed class WorkflowValidationException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public WorkflowValidationException(IReadOnlyList<WorkflowValidationError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<WorkflowValidationError> Errors { get; }

    private static string Describe(IReadOnlyList<WorkflowValidationError> errors) =>
        errors.Count == 1
            ? $"The workflow is invalid: {errors[0]}"
            : $"The workflow has {errors.Count} problems:{Environment.NewLine}  " +
              string.Join(Environment.NewLine + "  ", errors);
}
