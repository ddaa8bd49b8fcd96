using MeshFlow.Workflows;

namespace MeshFlow.Api.Runs;

/// <summary>A workflow of the <see cref="WorkflowRegistry"/>: the loaded workflow, its text, and where it came from.</summary>
/// <param name="Workflow">The validated workflow.</param>
/// <param name="Definition">The file's text, as a run that names the workflow sends it.</param>
/// <param name="Description">Its <c>description</c>, else the first sentence of the comment it opens with; null when neither.</param>
/// <param name="Source"><see cref="WorkflowRegistry.ExamplesSource"/> or <see cref="WorkflowRegistry.DirectoryKey"/>.</param>
/// <param name="File">The file's name inside the registry's folder.</param>
public sealed record RegisteredWorkflow(Workflow Workflow, string Definition, string? Description, string Source, string File)
{
    public string Name => Workflow.Name;
}
