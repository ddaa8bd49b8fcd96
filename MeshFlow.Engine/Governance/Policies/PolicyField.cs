namespace MeshFlow.Governance;

/// <summary>
/// One field of a policy: its wire name, what it accepts, how a value written for it applies to a
/// <see cref="Policy"/>, how a policy's value is written back, and when a value is looser than a tenant's ceiling.
/// </summary>
/// <remarks>The fields are listed once, in <see cref="PolicyFields"/>; every reader and the ceiling go through them.</remarks>
public sealed class PolicyField
{
    private readonly Func<IPolicyValue, Policy, PolicyField, PolicyReadScope, Policy?> _read;
    private readonly Func<Policy, string> _format;
    private readonly Func<Policy, Policy, PolicyClampScope, Policy> _clamp;
    private readonly Func<Policy, Policy, IEnumerable<string>>? _differences;

    internal PolicyField(string name, string expected, string meaning,
        Func<IPolicyValue, Policy, PolicyField, PolicyReadScope, Policy?> read, Func<Policy, string> format,
        Func<Policy, Policy, PolicyClampScope, Policy> clamp, Func<Policy, Policy, IEnumerable<string>>? differences = null)
    {
        Name = name;
        Expected = expected;
        Meaning = meaning;
        _read = read;
        _format = format;
        _clamp = clamp;
        _differences = differences;
    }

    /// <summary>The wire name, in JSON and YAML: <c>max_steps</c>.</summary>
    public string Name { get; }

    /// <summary>What a value must be, as messages say it: <c>a whole number of at least 0, or none</c>.</summary>
    public string Expected { get; }

    /// <summary>What the field limits or switches on, for documentation.</summary>
    public string Meaning { get; }

    /// <summary>The policy's value of this field as a policy would write it: <c>200</c>, <c>2m</c>, <c>none</c>, <c>[search]</c>.</summary>
    public string Format(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return _format(policy);
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>The policy with <paramref name="value"/> applied, or null when it is reported as a problem.</summary>
    internal Policy? Read(IPolicyValue value, Policy policy, PolicyReadScope scope) => _read(value, policy, this, scope);

    /// <summary>The requested policy with this field held to the ceiling (refusals go to the scope).</summary>
    internal Policy Clamp(Policy requested, Policy ceiling, PolicyClampScope scope) => _clamp(requested, ceiling, scope);

    /// <summary>
    /// What <paramref name="policy"/> sets differently from <paramref name="other"/> in this field: nothing, or the
    /// field's name, followed for a field of parts (<c>hitl</c>) by each differing part (<c>hitl.timeout_seconds</c>).
    /// </summary>
    internal IEnumerable<string> Differences(Policy policy, Policy other) =>
        _differences?.Invoke(policy, other) ?? (Format(policy) == Format(other) ? [] : [Name]);
}
