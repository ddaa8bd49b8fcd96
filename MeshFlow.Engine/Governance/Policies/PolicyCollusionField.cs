using MeshFlow.Governance.Collusion;
using MeshFlow.Runs;

namespace MeshFlow.Governance;

/// <summary>
/// The policy field <c>collusion_audit</c> (<see cref="CollusionPolicy"/>): <c>true</c> or <c>false</c>, or a mapping
/// of <c>enabled</c> and <c>on_finding</c>, read, written and held to a ceiling as <c>guardian</c> is
/// (<see cref="PolicyGuardianField"/>).
/// </summary>
/// <remarks>
/// A mapping without <c>enabled</c> switches the audit on. Under a ceiling, <c>enabled</c> on is tighter than off, and,
/// when the ceiling audits, <c>on_finding: escalate</c> is tighter than <c>record</c>.
/// </remarks>
internal static class PolicyCollusionField
{
    public const string Name = "collusion_audit";

    public const string Enabled = PolicyParts.Enabled;
    public const string OnFinding = "on_finding";

    private static readonly string[] Parts = [Enabled, OnFinding];

    public static PolicyField Create(string meaning) =>
        new(Name,
            $"true or false, or a mapping of {string.Join(", ", Parts)} (each optional; a mapping without enabled turns the " +
            "audit on), such as { on_finding: escalate }",
            meaning, Read, Format, Clamp, Differences);

    /// <summary>How a part of a policy's collusion audit is written: <c>true</c>, <c>record</c>.</summary>
    public static string FormatPart(CollusionPolicy audit, string part) => part switch
    {
        Enabled => audit.Enabled ? "true" : "false",
        OnFinding => WireNames.Of(audit.OnFinding),
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, "not a part of collusion_audit"),
    };

    private static string Format(Policy policy) => PolicyParts.Format(Parts, part => FormatPart(policy.CollusionAudit, part));

    private static IEnumerable<string> Differences(Policy policy, Policy other) =>
        PolicyParts.Differences(Name, Parts, part => FormatPart(policy.CollusionAudit, part), part => FormatPart(other.CollusionAudit, part));

    private static Policy? Read(IPolicyValue value, Policy policy, PolicyField field, PolicyReadScope scope) =>
        PolicyParts.ReadSwitched(value, policy, field, scope, Parts, p => p.CollusionAudit, (p, audit) => p with { CollusionAudit = audit },
            (audit, on) => audit with { Enabled = on }, (part, written, audit) => ReadPart(part, written, audit, scope));

    private static CollusionPolicy? ReadPart(string part, IPolicyValue value, CollusionPolicy audit, PolicyReadScope scope) =>
        part == Enabled
            ? PolicyParts.Switch(scope, $"{Name}.{part}", value, on => audit with { Enabled = on })
            : PolicyParts.Choice<CollusionAction, CollusionPolicy>(scope, $"{Name}.{part}", value, action => audit with { OnFinding = action });

    // A ceiling without the audit asks nothing of a run's settings for it.
    private static Policy Clamp(Policy requested, Policy ceiling, PolicyClampScope scope)
    {
        var policy = scope.Part(Enabled).Require(requested, ceiling, p => p.CollusionAudit.Enabled,
            (p, on) => p with { CollusionAudit = p.CollusionAudit with { Enabled = on } });
        return ceiling.CollusionAudit.Enabled
            ? scope.Part(OnFinding).AtLeast(policy, ceiling, p => p.CollusionAudit.OnFinding,
                (p, action) => p with { CollusionAudit = p.CollusionAudit with { OnFinding = action } })
            : policy;
    }
}
