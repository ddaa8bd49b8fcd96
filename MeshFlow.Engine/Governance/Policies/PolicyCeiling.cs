namespace MeshFlow.Governance;

/// <summary>Holds a requested policy to a tenant's ceiling, field by field (<see cref="PolicyFields"/>).</summary>
/// <remarks>
/// <para>
/// A field the request set explicitly that is looser than the ceiling is refused, naming the field; any other
/// looser field is tightened to the ceiling's value, silently; tighter values stay.
/// </para>
/// <para>
/// Looser means, per field: for a limit (steps, tokens, dollars, durations, tool calls, output characters), more,
/// or none when the ceiling has a number; for <c>allowed_tools</c>, a tool outside the ceiling's list (an empty
/// request gets the ceiling's list, a list set implicitly is cut to the tools the ceiling allows); for <c>risk</c>,
/// a tool's override below the ceiling's (the ceiling's overrides are floors: a tool the request does not
/// override gets the ceiling's tier); for <c>risk_threshold</c>, a higher tier or none; for
/// <c>uncertainty_threshold</c>, a higher score; for a switch the ceiling has on, off.
/// </para>
/// <para>
/// <c>hitl</c> is held part by part, and a part counts as set explicitly when the request wrote it
/// (<c>hitl.timeout_seconds</c> among the explicit fields): <c>enabled</c> off is looser than a ceiling's on;
/// <c>risk_threshold</c> is looser when the run would escalate above the ceiling's tier (the lower of the policy's
/// <c>risk_threshold</c> and <c>hitl.risk_threshold</c> counts); <c>timeout_seconds</c>, longer. <c>webhook_url</c>,
/// <c>escalate_to</c> and <c>on_timeout</c> are settings the run may choose; a URL it leaves unset comes from the
/// ceiling.
/// </para>
/// <para>
/// <c>guardian</c> and <c>collusion_audit</c> are held part by part the same way (<c>guardian.on_leak</c>):
/// <c>enabled</c> off is looser than a ceiling's on, as for a switch. Their other parts are held only under a ceiling
/// that has the safeguard on: <c>block</c> is tighter than <c>escalate</c> (<c>on_injection</c>) and <c>strip</c>
/// (<c>on_leak</c>); <c>escalate</c> tighter than <c>record</c> (<c>on_finding</c>); <c>untrusted_input</c> and
/// <c>behaviour</c> on tighter than off; and a host in <c>guardian.allowed_hosts</c> outside the ceiling's list (and
/// its subdomains) looser, while an empty list gets the ceiling's.
/// </para>
/// </remarks>
public static class PolicyCeiling
{
    /// <summary>Holds a run's policy to the ceiling; refusals name the field as <c>policy.max_steps</c>.</summary>
    /// <param name="requested">The policy the run asks for.</param>
    /// <param name="explicitFields">The wire names of the fields the request set itself (<see cref="PolicyReadResult.ExplicitFields"/>).</param>
    /// <param name="ceiling">The tenant's ceiling; null for none, which allows the request as it is.</param>
    public static PolicyCeilingResult Apply(Policy requested, IReadOnlySet<string> explicitFields, Policy? ceiling) =>
        Apply(requested, explicitFields, ceiling, "policy");

    /// <summary>Holds a policy to the ceiling; refusals name the field under <paramref name="fieldPrefix"/>.</summary>
    public static PolicyCeilingResult Apply(Policy requested, IReadOnlySet<string> explicitFields, Policy? ceiling, string fieldPrefix)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(explicitFields);
        ArgumentNullException.ThrowIfNull(fieldPrefix);
        if (ceiling is null)
        {
            return new PolicyCeilingResult(requested, []);
        }

        var errors = new List<(string Field, string Problem)>();
        var policy = requested;
        foreach (var field in PolicyFields.All)
        {
            var scope = new PolicyClampScope(field.Name, $"{fieldPrefix}.{field.Name}", explicitFields, errors);
            policy = field.Clamp(policy, ceiling, scope);
        }

        return new PolicyCeilingResult(errors.Count == 0 ? policy : null, errors);
    }
}
