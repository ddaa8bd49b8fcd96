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

    public const string Enabled = "enabled";
    public const string RiskThreshold = "risk_threshold";
    public const string WebhookUrl = "webhook_url";
    public const string TimeoutSeconds = "timeout_seconds";
    public const string OnTimeout = "on_timeout";
    public const string EscalateTo = "escalate_to";

    private static readonly string[] Parts = [Enabled, RiskThreshold, WebhookUrl, TimeoutSeconds, OnTimeout, EscalateTo];
    private static readonly HitlTimeoutAction[] Actions = Enum.GetValues<HitlTimeoutAction>();
    private static readonly string[] ActionNames = [.. Actions.Select(WireNames.Of)];

    private static readonly string TimeoutExpected =
        string.Create(CultureInfo.InvariantCulture, $"a whole number of seconds from 1 to {MaxTimeoutSeconds} (30 days)");

    private static readonly string ActionExpected = $"one of {string.Join(", ", ActionNames)}";

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

    private static string Format(Policy policy) =>
        $"{{{string.Join(", ", Parts.Select(part => $"{part}: {FormatPart(policy.Hitl, part)}"))}}}";

    private static IEnumerable<string> Differences(Policy policy, Policy other)
    {
        var parts = Parts.Where(part => FormatPart(policy.Hitl, part) != FormatPart(other.Hitl, part)).ToList();
        return parts.Count == 0 ? [] : [Name, .. parts.Select(part => $"{Name}.{part}")];
    }

    private static Policy? Read(IPolicyValue value, Policy policy, PolicyField field, PolicyReadScope scope)
    {
        if (!value.TryGetMap(out var entries))
        {
            return scope.Invalid(field, value);
        }

        var hitl = policy.Hitl;
        var valid = true;
        IPolicyValue? onTimeoutAt = null;
        IPolicyValue? escalateToAt = null;
        foreach (var (key, written) in entries)
        {
            if (!key.TryGetString(out var part) || !Parts.Contains(part, StringComparer.Ordinal))
            {
                var message = part is null
                    ? $"a field name in '{Name}' of {scope.Where} must be a plain name, but is {key.Describe()}"
                    : $"unknown field '{part}' in '{Name}' of {scope.Where} ({NameSuggestions.Hint(part, Parts)}expected {string.Join(", ", Parts)})";
                scope.Add(part is null ? PolicyProblemKind.InvalidValue : PolicyProblemKind.UnknownField,
                    scope.PathOf(part is null ? Name : $"{Name}.{part}"), message, key);
                valid = false;
                continue;
            }

            // As for the policy's own fields, a part set to null is not set.
            if (written.IsNull)
            {
                continue;
            }

            if (ReadPart(part, written, hitl, scope) is not { } read)
            {
                valid = false;
                continue;
            }

            hitl = read;
            scope.SetExplicit($"{Name}.{part}");
            onTimeoutAt = part == OnTimeout ? written : onTimeoutAt;
            escalateToAt = part == EscalateTo ? written : escalateToAt;
        }

        // Checked on the parts as they end up, so that an escalation target inherited from the base policy counts;
        // reported only when this source wrote one of the two.
        if (valid && hitl is { OnTimeout: HitlTimeoutAction.Escalate, EscalateTo: null } && (escalateToAt ?? onTimeoutAt) is { } at)
        {
            scope.Add(PolicyProblemKind.InvalidValue, scope.PathOf($"{Name}.{EscalateTo}"),
                $"'{Name}.{OnTimeout}' of {scope.Where} is escalate, which needs '{Name}.{EscalateTo}': add the URL to " +
                "notify when a pause expires, or choose reject or approve", at);
            valid = false;
        }

        return valid ? policy with { Hitl = hitl } : null;
    }

    private static HitlPolicy? ReadPart(string part, IPolicyValue value, HitlPolicy hitl, PolicyReadScope scope)
    {
        var name = $"{Name}.{part}";
        switch (part)
        {
            case Enabled:
                return value.TryGetBool(out var on) ? hitl with { Enabled = on } : Invalid(scope, name, "true or false", value);
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
                var index = value.TryGetString(out var action) ? Array.IndexOf(ActionNames, action) : -1;
                return index >= 0
                    ? hitl with { OnTimeout = Actions[index] }
                    : Invalid(scope, name, ActionExpected, value, action is null ? null : NameSuggestions.Closest(action, ActionNames));
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

    private static HitlPolicy? Invalid(PolicyReadScope scope, string name, string expected, IPolicyValue value, string? closest = null)
    {
        scope.Invalid(name, expected, value, closest);
        return null;
    }
}
