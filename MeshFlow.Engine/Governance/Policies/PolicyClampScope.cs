using MeshFlow.Runs;

namespace MeshFlow.Governance;

/// <summary>
/// One field (or part of a field) of a requested policy held to a ceiling: whether the request set it explicitly
/// (then looser is refused) and where refusals go.
/// </summary>
internal sealed class PolicyClampScope(string name, string path, IReadOnlySet<string> explicitFields, List<(string Field, string Problem)> errors)
{
    /// <summary>The field's wire name, or a part's dotted name such as <c>hitl.timeout_seconds</c>.</summary>
    public string Name => name;

    /// <summary>True when the request set the field (or part) itself.</summary>
    public bool IsExplicit => explicitFields.Contains(name);

    /// <summary>The scope of one part of this field, such as <c>timeout_seconds</c> of <c>hitl</c>.</summary>
    public PolicyClampScope Part(string part) => new($"{name}.{part}", $"{path}.{part}", explicitFields, errors);

    /// <summary>Refuses the field (<paramref name="suffix"/> names a part of it, such as <c>[1]</c>).</summary>
    public void Refuse(string problem, string suffix = "") => errors.Add((path + suffix, problem));

    /// <summary>
    /// The usual rule for a value ordered from tight to loose: looser than the ceiling is refused when explicit,
    /// else replaced by the ceiling's.
    /// </summary>
    public Policy Limit<T>(Policy requested, Policy ceiling, Func<Policy, T> get, Func<Policy, T, Policy> set,
        Func<T, T, bool> looser, Func<T, string> format)
    {
        var (value, limit) = (get(requested), get(ceiling));
        if (!looser(value, limit))
        {
            return requested;
        }

        if (!IsExplicit)
        {
            return set(requested, limit);
        }

        Refuse($"{name} {format(value)} is above the tenant's ceiling of {format(limit)}");
        return requested;
    }

    /// <summary>
    /// The rule for a safeguard: off is looser than a ceiling that has it on, refused when explicit, else switched on.
    /// </summary>
    public Policy Require(Policy requested, Policy ceiling, Func<Policy, bool> get, Func<Policy, bool, Policy> set)
    {
        if (get(requested) || !get(ceiling))
        {
            return requested;
        }

        if (IsExplicit)
        {
            Refuse($"{name} is off, but the tenant's ceiling requires it on");
            return requested;
        }

        return set(requested, true);
    }

    /// <summary>
    /// The rule for a choice whose values run from loose to tight (<c>escalate</c>, then <c>block</c>): one before the
    /// ceiling's is refused when explicit, else replaced by the ceiling's.
    /// </summary>
    public Policy AtLeast<T>(Policy requested, Policy ceiling, Func<Policy, T> get, Func<Policy, T, Policy> set) where T : struct, Enum
    {
        var (value, limit) = (get(requested), get(ceiling));
        if (Comparer<T>.Default.Compare(value, limit) >= 0)
        {
            return requested;
        }

        if (!IsExplicit)
        {
            return set(requested, limit);
        }

        Refuse($"{name} {WireNames.Of(value)} is looser than the tenant's ceiling of {WireNames.Of(limit)}");
        return requested;
    }
}
