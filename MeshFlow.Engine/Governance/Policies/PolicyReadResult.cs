namespace MeshFlow.Governance;

/// <summary>What reading a policy gave: the policy, or its problems; and which fields the source set.</summary>
/// <param name="Policy">The policy; null when there are problems.</param>
/// <param name="ExplicitFields">
/// The wire names of the fields the source set itself (<c>max_steps</c>...), whatever its mode: a mode sets none
/// explicitly. A field of parts is named with each part the source set, as <c>hitl</c> and
/// <c>hitl.timeout_seconds</c>. A tenant's ceiling refuses an explicit field looser than it, and tightens the others.
/// </param>
/// <param name="Problems">Every problem found, in the order the source wrote them.</param>
public sealed record PolicyReadResult(Policy? Policy, IReadOnlySet<string> ExplicitFields, IReadOnlyList<PolicyProblem> Problems)
{
    /// <summary>The first problem as a field and what is wrong with it, or null when there is none.</summary>
    public (string Field, string Problem)? Error => Problems.Count > 0 ? (Problems[0].Field, Problems[0].Message) : null;
}
