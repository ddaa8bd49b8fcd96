using MeshFlow.Diagnostics;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Governance;

/// <summary>
/// The kinds of policy field: each knows how its values are written, and what "looser than the ceiling" means
/// for it. <see cref="PolicyFields"/> lists the fields built from them.
/// </summary>
internal static class PolicyFieldKinds
{
    /// <summary>A count where 0 (or <c>none</c>) is no limit, and more is looser.</summary>
    public static PolicyField Count(string name, string meaning, long max, Func<Policy, long> get, Func<Policy, long, Policy> set) =>
        new(name,
            max == int.MaxValue ? "a whole number of at least 0 (at most 2147483647), or none" : "a whole number of at least 0, or none",
            meaning,
            (value, policy, field, scope) =>
                PolicyValues.IsNone(value) ? set(policy, 0)
                : value.TryGetInteger(out var count) && count >= 0 && count <= max ? set(policy, count)
                : scope.Invalid(field, value),
            policy => PolicyValues.Count(get(policy)),
            (requested, ceiling, scope) => scope.Limit(requested, ceiling, get, set, Looser, PolicyValues.Count));

    /// <summary>An amount of dollars where 0 (or <c>none</c>) is no limit, and more is looser.</summary>
    public static PolicyField Money(string name, string meaning, Func<Policy, decimal> get, Func<Policy, decimal, Policy> set) =>
        new(name, "a number of at least 0, or none", meaning,
            (value, policy, field, scope) =>
                PolicyValues.IsNone(value) ? set(policy, 0)
                : value.TryGetDecimal(out var amount) && amount >= 0 ? set(policy, amount)
                : scope.Invalid(field, value),
            policy => PolicyValues.Money(get(policy)),
            (requested, ceiling, scope) => scope.Limit(requested, ceiling, get, set,
                (value, limit) => limit != 0 && (value == 0 || value > limit), PolicyValues.Money));

    /// <summary>A duration where <see cref="Timeout.InfiniteTimeSpan"/> (<c>none</c>) is no limit, and longer is looser.</summary>
    public static PolicyField Duration(string name, string meaning, Func<Policy, TimeSpan> get, Func<Policy, TimeSpan, Policy> set) =>
        new(name, "a number of seconds or a duration such as 500ms, 30s, 2m or 1h, greater than zero, or none", meaning,
            (value, policy, field, scope) =>
                PolicyValues.TryDuration(value, out var duration) ? set(policy, duration) : scope.Invalid(field, value),
            policy => PolicyValues.Duration(get(policy)),
            (requested, ceiling, scope) => scope.Limit(requested, ceiling, get, set,
                (value, limit) => limit != Timeout.InfiniteTimeSpan && (value == Timeout.InfiniteTimeSpan || value > limit),
                PolicyValues.Duration));

    /// <summary>A score threshold from 0 to 1 above which a step escalates: higher is looser.</summary>
    public static PolicyField Threshold(string name, string meaning, Func<Policy, double> get, Func<Policy, double, Policy> set) =>
        new(name, "a number from 0 to 1", meaning,
            (value, policy, field, scope) =>
                value.TryGetDouble(out var score) && score is >= 0 and <= 1 ? set(policy, score) : scope.Invalid(field, value),
            policy => PolicyValues.Number(get(policy)),
            (requested, ceiling, scope) => scope.Limit(requested, ceiling, get, set, (value, limit) => value > limit, PolicyValues.Number));

    /// <summary>A risk tier at or above which a step escalates, or <c>none</c> (never): a higher tier is looser.</summary>
    public static PolicyField Tier(string name, string meaning, Func<Policy, RiskTier?> get, Func<Policy, RiskTier?, Policy> set) =>
        new(name, PolicyValues.TierExpected, meaning,
            (value, policy, field, scope) =>
            {
                if (PolicyValues.IsNone(value))
                {
                    return set(policy, null);
                }

                if (value.TryGetString(out var text) && RiskTiers.TryParse(text, out var tier))
                {
                    return set(policy, tier);
                }

                return scope.Invalid(field, value, text is null ? null : NameSuggestions.Closest(text, RiskTiers.Names));
            },
            policy => PolicyValues.Tier(get(policy)),
            (requested, ceiling, scope) => scope.Limit(requested, ceiling, get, set,
                (value, limit) => limit is not null && (value is null || value > limit), PolicyValues.Tier));

    /// <summary>A safeguard switched on or off: off is looser than a ceiling that has it on.</summary>
    public static PolicyField Switch(string name, string meaning, Func<Policy, bool> get, Func<Policy, bool, Policy> set) =>
        new(name, "true or false", meaning,
            (value, policy, field, scope) => value.TryGetBool(out var on) ? set(policy, on) : scope.Invalid(field, value),
            policy => get(policy) ? "true" : "false",
            (requested, ceiling, scope) => scope.Require(requested, ceiling, get, set));

    private static bool Looser(long value, long limit) => limit != 0 && (value == 0 || value > limit);
}
