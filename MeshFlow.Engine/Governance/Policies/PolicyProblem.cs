namespace MeshFlow.Governance;

/// <summary>One problem of a policy as written.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Field">Where, such as <c>policy.max_steps</c> or <c>policy.allowed_tools[1]</c>.</param>
/// <param name="Message">What is wrong and what was expected, for a person.</param>
/// <param name="At">The value the problem is about, for readers that know where it was written (a line and column).</param>
public sealed record PolicyProblem(PolicyProblemKind Kind, string Field, string Message, IPolicyValue At);
