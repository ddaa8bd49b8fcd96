using MeshFlow.Governance.Guardian;
using MeshFlow.Governance.Risk;
using static MeshFlow.Governance.PolicyGuardianField;

namespace MeshFlow.Governance;

/// <summary>
/// Holds a requested policy's <c>guardian</c> to a tenant's ceiling, part by part: a part the request wrote looser is
/// refused (naming <c>policy.guardian.&lt;part&gt;</c>), a looser part it only inherited is tightened.
/// </summary>
/// <remarks>
/// <c>enabled</c> on is tighter than off. The other parts are held only under a ceiling that has the guardian on (one
/// without it asks nothing of a run's): <c>on_injection: block</c> is tighter than <c>escalate</c>, <c>on_leak: block</c>
/// than <c>strip</c>, <c>untrusted_input</c> and <c>behaviour</c> on than off. When the ceiling lists
/// <c>allowed_hosts</c>, each host of the run's list must be one of them or a subdomain of one; an empty list (any host)
/// gets the ceiling's, even when written, since it asks for nothing the ceiling would refuse but a host list.
/// </remarks>
internal static class PolicyGuardianCeiling
{
    public static Policy Clamp(Policy requested, Policy ceiling, PolicyClampScope scope)
    {
        var policy = scope.Part(Enabled).Require(requested, ceiling, p => p.Guardian.Enabled, (p, on) => With(p, g => g with { Enabled = on }));
        if (!ceiling.Guardian.Enabled)
        {
            return policy;
        }

        policy = scope.Part(OnInjection).AtLeast(policy, ceiling, p => p.Guardian.OnInjection, (p, action) => With(p, g => g with { OnInjection = action }));
        policy = scope.Part(OnLeak).AtLeast(policy, ceiling, p => p.Guardian.OnLeak, (p, action) => With(p, g => g with { OnLeak = action }));
        policy = ClampHosts(policy, ceiling, scope.Part(AllowedHosts));
        policy = scope.Part(UntrustedInput).Require(policy, ceiling, p => p.Guardian.UntrustedInput, (p, on) => With(p, g => g with { UntrustedInput = on }));
        return scope.Part(Behaviour).Require(policy, ceiling, p => p.Guardian.Behaviour, (p, on) => With(p, g => g with { Behaviour = on }));
    }

    private static Policy With(Policy policy, Func<GuardianPolicy, GuardianPolicy> change) => policy with { Guardian = change(policy.Guardian) };

    // A ceiling's list is the most a run's output may link to: a host outside it (and its subdomains) is looser.
    private static Policy ClampHosts(Policy requested, Policy ceiling, PolicyClampScope scope)
    {
        var limit = ceiling.Guardian.AllowedHosts;
        if (limit.Count == 0)
        {
            return requested;
        }

        var hosts = requested.Guardian.AllowedHosts;
        if (hosts.Count == 0)
        {
            return With(requested, g => g with { AllowedHosts = limit });
        }

        var within = hosts.Where(host => HostNames.IsAllowed(host, limit)).ToList();
        if (within.Count == hosts.Count)
        {
            return requested;
        }

        var allowed = string.Join(", ", limit);
        if (scope.IsExplicit)
        {
            for (var i = 0; i < hosts.Count; i++)
            {
                if (!HostNames.IsAllowed(hosts[i], limit))
                {
                    scope.Refuse($"{scope.Name} includes '{hosts[i]}', which the tenant's ceiling does not allow " +
                        $"(allowed: {allowed}, and their subdomains)", $"[{i}]");
                }
            }

            return requested;
        }

        if (within.Count == 0)
        {
            // An empty list would allow any host: there is nothing to tighten to, so even an inherited list is refused.
            scope.Refuse($"none of {scope.Name} ({string.Join(", ", hosts)}) is within the tenant's ceiling (allowed: {allowed}, and their subdomains)");
            return requested;
        }

        return With(requested, g => g with { AllowedHosts = within });
    }
}
