namespace MeshFlow.Observability;

/// <summary>The tag names MeshFlow puts on spans and metrics.</summary>
public static class TagNames
{
    public const string RunId = "meshflow.run_id";
    public const string Tenant = "meshflow.tenant";
    public const string Workflow = "meshflow.workflow";
    public const string NodeId = "meshflow.node_id";
    public const string StepId = "meshflow.step_id";
    public const string Status = "meshflow.status";
}
