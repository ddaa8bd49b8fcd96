namespace MeshFlow.Governance;

/// <summary>A requested policy held to a tenant's ceiling: the policy to run with, or why it is refused.</summary>
/// <param name="Policy">The policy, tightened where it did not say otherwise; null when refused.</param>
/// <param name="Errors">Each field set explicitly looser than the ceiling, such as <c>("policy.max_steps", "max_steps 500 is above the tenant's ceiling of 50")</c>.</param>
public sealed record PolicyCeilingResult(Policy? Policy, IReadOnlyList<(string Field, string Problem)> Errors)
{
    /// <summary>The first refusal, or null when the policy is allowed.</summary>
    public (string Field, string Problem)? Error => Errors.Count > 0 ? Errors[0] : null;
}
