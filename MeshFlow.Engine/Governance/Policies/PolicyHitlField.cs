using System.Globalization;
using MeshFlow.Approvals;
using MeshFlow.Diagnostics;
using MeshFlow.Governance.Risk;
using MeshFlow.Runs;

namespace MeshFlow.Governance;

/// <summary>
/// The policy field <c>hitl</c> (<see cref="HitlPolicy"/>): a mapping of parts, each optional, read over the base
/// policy's parts, written back whole, and held to a ceiling part by part (<see cref="PolicyHitlCeiling"/>).
/// </summary>
/// <remarks>
/// A part is named in problems, explicit fields and refusals as <c>hitl.timeout_seconds</c>, so that a ceiling can
/// tell the parts a request wrote from those it only inherited.
/// </remarks>
internal static class PolicyHitlField
{
    public const string Name = "hitl";

    /// <summary>The longest a pause may wait for a decision: 30 days.</summary>
    public const int MaxTimeoutSeconds = 2_592_000;

    public const string Enabled = PolicyParts.Enabled;
    public const string RiskThreshold = "risk_threshold";
    public const string WebhookUrl = "webhook_url";
    public const string TimeoutSeconds = "timeout_seconds";
    public const string OnTimeout = "on_timeout";
    public const string EscalateTo = "escalate_to";

    private static readonly string[] Parts = [Enabled, RiskThreshold, WebhookUrl, TimeoutSeconds, OnTimeout, EscalateTo];

    private static readonly string TimeoutExpected =
        string.Create(CultureInfo.InvariantCulture, $"a whole number of seconds from 1 to {MaxTimeoutSeconds} (30 days)");

    public static PolicyField Create(string meaning) =>
        new(Name,
            $"a mapping of {string.Join(", ", Parts)} (each optional), such as {{ timeout_seconds: 3600, on_timeout: reject }}",
            meaning, Read, Format, PolicyHitlCeiling.Clamp, Differences);

    /// <summary>How a part of a policy's hitl is written: <c>86400</c>, <c>reject</c>, <c>none</c>.</summary>
    public static string FormatPart(HitlPolicy hitl, string part) => part switch
    {
        Enabled => hitl.Enabled ? "true" : "false",
        RiskThreshold => PolicyValues.Tier(hitl.RiskThreshold),
        WebhookUrl => hitl.WebhookUrl ?? PolicyValues.None,
        TimeoutSeconds => hitl.TimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        OnTimeout => WireNames.Of(hitl.OnTimeout),
        EscalateTo => hitl.EscalateTo ?? PolicyValues.None,
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, "not a part of hitl"),
    };

    private static string Format(Policy policy) => PolicyParts.Format(Parts, part => FormatPart(policy.Hitl, part));

    private static IEnumerable<string> Differences(Policy policy, Policy other) =>
        PolicyParts.Differences(Name, Parts, part => FormatPart(policy.Hitl, part), part => FormatPart(other.Hitl, part));

    private static Policy? Read(IPolicyValue value, Policy policy, PolicyField field, PolicyReadScope scope)
    {
        if (!value.TryGetMap(out var entries))
        {
            return scope.Invalid(field, value);
        }

        if (PolicyParts.Read(Name, Parts, entries, policy.Hitl, scope, (part, written, hitl) => ReadPart(part, written, hitl, scope)) is not { } read)
        {
            return null;
        }

        // Checked on the parts as they end up, so that an escalation target inherited from the base policy counts;
        // reported only when this source wrote one of the two.
        if (read is { OnTimeout: HitlTimeoutAction.Escalate, EscalateTo: null } && (Written(entries, EscalateTo) ?? Written(entries, OnTimeout)) is { } at)
        {
            scope.Add(PolicyProblemKind.InvalidValue, scope.PathOf($"{Name}.{EscalateTo}"),
                $"'{Name}.{OnTimeout}' of {scope.Where} is escalate, which needs '{Name}.{EscalateTo}': add the URL to " +
                "notify when a pause expires, or choose reject or approve", at);
            return null;
        }

        return policy with { Hitl = read };
    }

    // The value a source wrote for a part (the last, as a reader keeps the last), or null when it wrote none.
    private static IPolicyValue? Written(IReadOnlyList<(IPolicyValue Key, IPolicyValue Value)> entries, string part) =>
        entries.LastOrDefault(e => e.Key.TryGetString(out var name) && name == part && !e.Value.IsNull).Value;

    private static HitlPolicy? ReadPart(string part, IPolicyValue value, HitlPolicy hitl, PolicyReadScope scope)
    {
        var name = $"{Name}.{part}";
        switch (part)
        {
            case Enabled:
                return PolicyParts.Switch(scope, name, value, on => hitl with { Enabled = on });
            case RiskThreshold:
                if (PolicyValues.IsNone(value))
                {
                    return hitl with { RiskThreshold = null };
                }

                return value.TryGetString(out var tierName) && RiskTiers.TryParse(tierName, out var tier)
                    ? hitl with { RiskThreshold = tier }
                    : Invalid(scope, name, PolicyValues.TierExpected, value,
                        tierName is null ? null : NameSuggestions.Closest(tierName, RiskTiers.Names));
            case TimeoutSeconds:
                return value.TryGetInteger(out var seconds) && seconds is >= 1 and <= MaxTimeoutSeconds
                    ? hitl with { TimeoutSeconds = (int)seconds }
                    : Invalid(scope, name, TimeoutExpected, value);
            case OnTimeout:
                return PolicyParts.Choice<HitlTimeoutAction, HitlPolicy>(scope, name, value, action => hitl with { OnTimeout = action });
            case WebhookUrl:
                return TryUrl(name, value, scope, out var webhook) ? hitl with { WebhookUrl = webhook } : null;
            default:
                return TryUrl(name, value, scope, out var escalateTo) ? hitl with { EscalateTo = escalateTo } : null;
        }
    }

    // none is no URL: no notification, or nobody to escalate to.
    private static bool TryUrl(string name, IPolicyValue value, PolicyReadScope scope, out string? url)
    {
        url = null;
        if (PolicyValues.IsNone(value))
        {
            return true;
        }

        var problem = value.TryGetString(out var text) ? PolicyUrls.Problem(text, value.Describe()) : $"is {value.Describe()}";
        if (problem is null)
        {
            url = text;
            return true;
        }

        scope.Add(PolicyProblemKind.InvalidValue, scope.PathOf(name),
            $"'{name}' of {scope.Where} must be {PolicyUrls.Expected}, but {problem}", value);
        return false;
    }

    private static HitlPolicy? Invalid(PolicyReadScope scope, string name, string expected, IPolicyValue value, string? closest = null) =>
        PolicyParts.Invalid<HitlPolicy>(scope, name, expected, value, closest);
}
