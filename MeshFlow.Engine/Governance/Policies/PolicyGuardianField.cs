using MeshFlow.Governance.Guardian;
using MeshFlow.Runs;

namespace MeshFlow.Governance;

/// <summary>
/// The policy field <c>guardian</c> (<see cref="GuardianPolicy"/>): <c>true</c> or <c>false</c>, or a mapping of parts,
/// each optional, read over the base policy's parts; written back whole, and held to a ceiling part by part
/// (<see cref="PolicyGuardianCeiling"/>).
/// </summary>
/// <remarks>
/// <c>guardian: true</c> and <c>guardian: false</c> switch the guardian and keep the base policy's settings. A mapping
/// without <c>enabled</c> switches it on: a mapping is how one asks for the guardian with settings. Either way
/// <c>guardian.enabled</c> counts as written.
/// </remarks>
internal static class PolicyGuardianField
{
    public const string Name = "guardian";

    public const string Enabled = PolicyParts.Enabled;
    public const string OnInjection = "on_injection";
    public const string OnLeak = "on_leak";
    public const string AllowedHosts = "allowed_hosts";
    public const string UntrustedInput = "untrusted_input";
    public const string Behaviour = "behaviour";

    private static readonly string[] Parts = [Enabled, OnInjection, OnLeak, AllowedHosts, UntrustedInput, Behaviour];

    public static PolicyField Create(string meaning) =>
        new(Name,
            $"true or false, or a mapping of {string.Join(", ", Parts)} (each optional; a mapping without enabled turns the " +
            "guardian on), such as { on_injection: block, allowed_hosts: [api.example.com] }",
            meaning, Read, Format, PolicyGuardianCeiling.Clamp, Differences);

    /// <summary>How a part of a policy's guardian is written: <c>true</c>, <c>escalate</c>, <c>[api.example.com]</c>.</summary>
    public static string FormatPart(GuardianPolicy guardian, string part) => part switch
    {
        Enabled => Switch(guardian.Enabled),
        OnInjection => WireNames.Of(guardian.OnInjection),
        OnLeak => WireNames.Of(guardian.OnLeak),
        AllowedHosts => $"[{string.Join(", ", guardian.AllowedHosts)}]",
        UntrustedInput => Switch(guardian.UntrustedInput),
        Behaviour => Switch(guardian.Behaviour),
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, "not a part of guardian"),
    };

    private static string Switch(bool on) => on ? "true" : "false";

    private static string Format(Policy policy) => PolicyParts.Format(Parts, part => FormatPart(policy.Guardian, part));

    private static IEnumerable<string> Differences(Policy policy, Policy other) =>
        PolicyParts.Differences(Name, Parts, part => FormatPart(policy.Guardian, part), part => FormatPart(other.Guardian, part));

    private static Policy? Read(IPolicyValue value, Policy policy, PolicyField field, PolicyReadScope scope) =>
        PolicyParts.ReadSwitched(value, policy, field, scope, Parts, p => p.Guardian, (p, guardian) => p with { Guardian = guardian },
            (guardian, on) => guardian with { Enabled = on }, (part, written, guardian) => ReadPart(part, written, guardian, scope));

    private static GuardianPolicy? ReadPart(string part, IPolicyValue value, GuardianPolicy guardian, PolicyReadScope scope)
    {
        var name = $"{Name}.{part}";
        return part switch
        {
            Enabled => PolicyParts.Switch(scope, name, value, on => guardian with { Enabled = on }),
            OnInjection => PolicyParts.Choice<GuardianAction, GuardianPolicy>(scope, name, value, action => guardian with { OnInjection = action }),
            OnLeak => PolicyParts.Choice<LeakAction, GuardianPolicy>(scope, name, value, action => guardian with { OnLeak = action }),
            AllowedHosts => ReadHosts(name, value, scope) is { } hosts ? guardian with { AllowedHosts = hosts } : null,
            UntrustedInput => PolicyParts.Switch(scope, name, value, on => guardian with { UntrustedInput = on }),
            _ => PolicyParts.Switch(scope, name, value, on => guardian with { Behaviour = on }),
        };
    }

    private static List<string>? ReadHosts(string name, IPolicyValue value, PolicyReadScope scope)
    {
        if (!value.TryGetList(out var items))
        {
            return PolicyParts.Invalid<List<string>>(scope, name, "a list of host names, such as [api.example.com]", value);
        }

        var hosts = new List<string>(items.Count);
        var valid = true;
        for (var i = 0; i < items.Count; i++)
        {
            var problem = items[i].TryGetString(out var text) ? PolicyHosts.Problem(text, items[i].Describe()) : $"is {items[i].Describe()}";
            if (problem is not null)
            {
                scope.Add(PolicyProblemKind.InvalidValue, $"{scope.PathOf(name)}[{i}]",
                    $"entry {i + 1} of '{name}' of {scope.Where} must be {PolicyHosts.Expected}, but {problem}", items[i]);
                valid = false;
                continue;
            }

            var host = PolicyHosts.Normalize(text!);
            if (!hosts.Contains(host, StringComparer.Ordinal))
            {
                hosts.Add(host);
            }
        }

        return valid ? hosts : null;
    }
}
