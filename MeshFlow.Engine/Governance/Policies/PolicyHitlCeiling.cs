using System.Globalization;
using MeshFlow.Approvals;
using static MeshFlow.Governance.PolicyHitlField;

namespace MeshFlow.Governance;

/// <summary>
/// Holds a requested policy's <c>hitl</c> to a tenant's ceiling, part by part: a part the request wrote looser is
/// refused (naming <c>policy.hitl.&lt;part&gt;</c>), a looser part it only inherited is tightened.
/// </summary>
/// <remarks>
/// <c>enabled</c> on is tighter than off; <c>risk_threshold</c> lower is tighter, judged on the tier the run escalates
/// at (the lower of the policy's <c>risk_threshold</c> and this one); <c>timeout_seconds</c> lower is tighter;
/// <c>on_timeout: approve</c> (an expired pause goes through) is looser than <c>reject</c> and <c>escalate</c> (which
/// ends in a rejection). <c>webhook_url</c> and <c>escalate_to</c> are settings, not limits: the run's own stand, and
/// a URL it leaves unset comes from the ceiling.
/// </remarks>
internal static class PolicyHitlCeiling
{
    /// <summary>
    /// The hitl of a ceiling that does not name it (one written as fields without a mode): it requires nothing,
    /// allows the longest wait and sets no tier, so that such a ceiling limits only what it names.
    /// </summary>
    public static HitlPolicy NoLimit { get; } =
        HitlPolicy.Default with { Enabled = false, TimeoutSeconds = MaxTimeoutSeconds, OnTimeout = HitlTimeoutAction.Approve };

    public static Policy Clamp(Policy requested, Policy ceiling, PolicyClampScope scope)
    {
        var policy = scope.Part(Enabled).Require(requested, ceiling, p => p.Hitl.Enabled, (p, on) => p with { Hitl = p.Hitl with { Enabled = on } });
        policy = ClampThreshold(policy, ceiling, scope.Part(RiskThreshold));
        policy = scope.Part(TimeoutSeconds).Limit(policy, ceiling, p => p.Hitl.TimeoutSeconds,
            (p, seconds) => p with { Hitl = p.Hitl with { TimeoutSeconds = seconds } },
            (value, limit) => value > limit, seconds => seconds.ToString(CultureInfo.InvariantCulture));
        policy = ClampOnTimeout(policy, ceiling, scope.Part(OnTimeout));
        policy = Fill(policy, ceiling, scope.Part(WebhookUrl), h => h.WebhookUrl, (h, url) => h with { WebhookUrl = url });
        return Fill(policy, ceiling, scope.Part(EscalateTo), h => h.EscalateTo, (h, url) => h with { EscalateTo = url });
    }

    // Under a ceiling whose expired pauses are rejected, nothing may go through because nobody answered.
    private static Policy ClampOnTimeout(Policy requested, Policy ceiling, PolicyClampScope scope)
    {
        if (requested.Hitl.OnTimeout != HitlTimeoutAction.Approve || ceiling.Hitl.OnTimeout == HitlTimeoutAction.Approve)
        {
            return requested;
        }

        if (!scope.IsExplicit)
        {
            return requested with
            {
                Hitl = requested.Hitl with { OnTimeout = ceiling.Hitl.OnTimeout, EscalateTo = requested.Hitl.EscalateTo ?? ceiling.Hitl.EscalateTo },
            };
        }

        scope.Refuse($"{scope.Name} approve lets a pause nobody decided go through, but the tenant's ceiling resolves it with " +
            (ceiling.Hitl.OnTimeout == HitlTimeoutAction.Escalate ? "escalate (then reject)" : "reject"));
        return requested;
    }

    // What a ceiling's tier promises is that steps at it wait for a human: a run that escalates there already
    // through the policy's own risk_threshold keeps the hitl tier it asked for.
    private static Policy ClampThreshold(Policy requested, Policy ceiling, PolicyClampScope scope)
    {
        if (ceiling.Hitl.RiskThreshold is not { } limit || requested.ApprovalThreshold <= limit)
        {
            return requested;
        }

        if (!scope.IsExplicit)
        {
            return requested with { Hitl = requested.Hitl with { RiskThreshold = limit } };
        }

        scope.Refuse($"{scope.Name} {PolicyValues.Tier(requested.Hitl.RiskThreshold)} is above the tenant's ceiling of {PolicyValues.Tier(limit)}");
        return requested;
    }

    // A setting: the run's own URL stands, none included when it wrote none; one it left unset is the ceiling's.
    private static Policy Fill(Policy requested, Policy ceiling, PolicyClampScope scope, Func<HitlPolicy, string?> get,
        Func<HitlPolicy, string, HitlPolicy> set) =>
        get(requested.Hitl) is null && get(ceiling.Hitl) is { } url && !scope.IsExplicit
            ? requested with { Hitl = set(requested.Hitl, url) }
            : requested;
}
