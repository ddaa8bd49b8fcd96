using MeshFlow.Diagnostics;
using MeshFlow.Runs;

namespace MeshFlow.Governance;

/// <summary>
/// What the policy fields of parts (<c>hitl</c>, <c>guardian</c>, <c>collusion_audit</c>) share: reading a mapping
/// part by part over the base policy's parts, reading a part's switch or choice, and writing the parts back.
/// </summary>
/// <remarks>
/// A part is named in problems, explicit fields and refusals as <c>guardian.on_injection</c>, so that a ceiling can
/// tell the parts a source wrote from those it only inherited.
/// </remarks>
internal static class PolicyParts
{
    /// <summary>The part that switches a field of parts on or off.</summary>
    public const string Enabled = "enabled";

    /// <summary>What a part that is a switch takes, as messages say it.</summary>
    public const string SwitchExpected = "true or false";

    /// <summary>
    /// <paramref name="current"/> with each entry of the field's mapping read over it by <paramref name="readPart"/>,
    /// or null when any entry is reported as a problem. A part set to null is not set; every part read is recorded as
    /// set explicitly.
    /// </summary>
    public static T? Read<T>(string field, IReadOnlyList<string> parts, IReadOnlyList<(IPolicyValue Key, IPolicyValue Value)> entries,
        T current, PolicyReadScope scope, Func<string, IPolicyValue, T, T?> readPart) where T : class
    {
        var valid = true;
        foreach (var (key, written) in entries)
        {
            if (!key.TryGetString(out var part) || !parts.Contains(part, StringComparer.Ordinal))
            {
                var message = part is null
                    ? $"a field name in '{field}' of {scope.Where} must be a plain name, but is {key.Describe()}"
                    : $"unknown field '{part}' in '{field}' of {scope.Where} ({NameSuggestions.Hint(part, parts)}expected {string.Join(", ", parts)})";
                scope.Add(part is null ? PolicyProblemKind.InvalidValue : PolicyProblemKind.UnknownField,
                    scope.PathOf(part is null ? field : $"{field}.{part}"), message, key);
                valid = false;
                continue;
            }

            // As for the policy's own fields, a part set to null is not set.
            if (written.IsNull)
            {
                continue;
            }

            if (readPart(part, written, current) is not { } read)
            {
                valid = false;
                continue;
            }

            current = read;
            scope.SetExplicit($"{field}.{part}");
        }

        return valid ? current : null;
    }

    /// <summary>
    /// A field that is a switch with settings (<c>guardian</c>, <c>collusion_audit</c>): <c>true</c> or <c>false</c>
    /// switches it and keeps the base policy's settings; a mapping reads its parts over them and switches it on
    /// unless it says <c>enabled: false</c>, since a mapping is how one asks for it with settings.
    /// </summary>
    public static Policy? ReadSwitched<T>(IPolicyValue value, Policy policy, PolicyField field, PolicyReadScope scope,
        IReadOnlyList<string> parts, Func<Policy, T> get, Func<Policy, T, Policy> set, Func<T, bool, T> enable,
        Func<string, IPolicyValue, T, T?> readPart) where T : class
    {
        var enabled = $"{field.Name}.{Enabled}";
        if (value.TryGetBool(out var on))
        {
            scope.SetExplicit(enabled);
            return set(policy, enable(get(policy), on));
        }

        if (!value.TryGetMap(out var entries))
        {
            return scope.Invalid(field, value);
        }

        scope.SetExplicit(enabled);
        return Read(field.Name, parts, entries, enable(get(policy), true), scope, readPart) is { } read ? set(policy, read) : null;
    }

    /// <summary>A part that is <c>true</c> or <c>false</c>, or null when reported.</summary>
    public static T? Switch<T>(PolicyReadScope scope, string name, IPolicyValue value, Func<bool, T> set) where T : class =>
        value.TryGetBool(out var on) ? set(on) : Invalid<T>(scope, name, SwitchExpected, value);

    /// <summary>A part that is one of an enum's wire names, or null when reported (with the closest name as a hint).</summary>
    public static T? Choice<TEnum, T>(PolicyReadScope scope, string name, IPolicyValue value, Func<TEnum, T> set)
        where TEnum : struct, Enum where T : class
    {
        var choices = Enum.GetValues<TEnum>();
        var names = choices.Select(WireNames.Of).ToArray();
        var index = value.TryGetString(out var written) ? Array.IndexOf(names, written) : -1;
        return index >= 0
            ? set(choices[index])
            : Invalid<T>(scope, name, ChoiceExpected<TEnum>(), value, written is null ? null : NameSuggestions.Closest(written, names));
    }

    /// <summary>What a choice part takes, as messages say it: <c>one of escalate, block</c>.</summary>
    public static string ChoiceExpected<TEnum>() where TEnum : struct, Enum =>
        $"one of {string.Join(", ", Enum.GetValues<TEnum>().Select(WireNames.Of))}";

    /// <summary>Reports <paramref name="value"/> as the wrong kind for the part, and gives null.</summary>
    public static T? Invalid<T>(PolicyReadScope scope, string name, string expected, IPolicyValue value, string? closest = null)
        where T : class
    {
        scope.Invalid(name, expected, value, closest);
        return null;
    }

    /// <summary>The parts as a policy writes them: <c>{enabled: true, on_finding: record}</c>.</summary>
    public static string Format(IEnumerable<string> parts, Func<string, string> formatPart) =>
        $"{{{string.Join(", ", parts.Select(part => $"{part}: {formatPart(part)}"))}}}";

    /// <summary>Nothing when no part differs; else the field's name, then each differing part as <c>guardian.on_leak</c>.</summary>
    public static IEnumerable<string> Differences(string field, IEnumerable<string> parts, Func<string, string> format, Func<string, string> other)
    {
        var differing = parts.Where(part => format(part) != other(part)).ToList();
        return differing.Count == 0 ? [] : [field, .. differing.Select(part => $"{field}.{part}")];
    }
}
