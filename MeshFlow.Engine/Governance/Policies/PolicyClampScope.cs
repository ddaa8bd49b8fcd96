namespace MeshFlow.Governance;

/// <summary>
/// One field of a requested policy held to a ceiling: whether the request set it explicitly (then looser is
/// refused) and where refusals go.
/// </summary>
internal sealed class PolicyClampScope(string name, string path, bool isExplicit, List<(string Field, string Problem)> errors)
{
    /// <summary>The field's wire name.</summary>
    public string Name => name;

    /// <summary>True when the request set the field itself.</summary>
    public bool IsExplicit => isExplicit;

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

        if (!isExplicit)
        {
            return set(requested, limit);
        }

        Refuse($"{name} {format(value)} is above the tenant's ceiling of {format(limit)}");
        return requested;
    }
}
