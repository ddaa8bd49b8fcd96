namespace MeshFlow.Workflows;

/// <summary>The stable codes of <see cref="WorkflowValidationError"/>.</summary>
public static class WorkflowErrorCodes
{
    public const string Syntax = "syntax";
    public const string MissingField = "missing_field";
    public const string UnknownField = "unknown_field";
    public const string InvalidValue = "invalid_value";
    public const string DuplicateId = "duplicate_id";
    public const string UnknownNode = "unknown_node";
    public const string DanglingEdge = "dangling_edge";
    public const string DuplicateEdge = "duplicate_edge";
    public const string UndeclaredCycle = "undeclared_cycle";
    public const string LoopWithoutCycle = "loop_without_cycle";
    public const string UnknownPolicyMode = "unknown_policy_mode";
    public const string UnknownNodeKind = "unknown_node_kind";
    public const string InvalidCondition = "invalid_condition";
    public const string EmptyWorkflow = "empty_workflow";
    public const string UnknownTool = "unknown_tool";
}
