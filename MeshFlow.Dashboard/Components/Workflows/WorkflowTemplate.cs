namespace MeshFlow.Dashboard.Components.Workflows;

/// <summary>
/// What the editor opens with: <c>GET /workflows</c> lists registered workflows without their definitions, so a new
/// one starts from this small workflow that runs anywhere (offline and scripted models need no provider).
/// </summary>
public static class WorkflowTemplate
{
    public const string Yaml = """
        name: draft-and-review
        nodes:
          - id: writer
            model: offline
            instructions: Draft the clause.
          - id: critic
            model: scripted
            responses: [APPROVED]
        edges:
          - from: writer
            to: critic

        """;
}
