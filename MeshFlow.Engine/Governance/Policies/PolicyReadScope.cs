using MeshFlow.Diagnostics;

namespace MeshFlow.Governance;

/// <summary>
/// Where a policy is being read (its path, such as <c>policy</c> or <c>default</c>, and how messages name it), the
/// tools it may name, and the problems found so far.
/// </summary>
internal sealed class PolicyReadScope(string prefix, string where, IReadOnlyCollection<string>? knownTools)
{
    private readonly List<PolicyProblem> _problems = [];
    private readonly HashSet<string> _explicitParts = new(StringComparer.Ordinal);

    /// <summary>The policy's path: <c>policy</c>, <c>default</c>, <c>ceiling</c>.</summary>
    public string Prefix => prefix;

    /// <summary>The policy as messages name it: <c>the policy</c>.</summary>
    public string Where => where;

    public IReadOnlyList<PolicyProblem> Problems => _problems;

    /// <summary>The parts of fields the source set itself, such as <c>hitl.timeout_seconds</c>.</summary>
    public IReadOnlySet<string> ExplicitParts => _explicitParts;

    public string PathOf(string field) => $"{prefix}.{field}";

    public void Add(PolicyProblemKind kind, string path, string message, IPolicyValue at) =>
        _problems.Add(new PolicyProblem(kind, path, message, at));

    /// <summary>Records that the source set a part of a field (<c>hitl.timeout_seconds</c>) itself.</summary>
    public void SetExplicit(string part) => _explicitParts.Add(part);

    /// <summary>Reports <paramref name="value"/> as the wrong kind for <paramref name="field"/>, and gives null.</summary>
    public Policy? Invalid(PolicyField field, IPolicyValue value, string? closest = null) =>
        Invalid(field.Name, field.Expected, value, closest);

    /// <summary>
    /// Reports <paramref name="value"/> as the wrong kind for the field or part <paramref name="name"/>
    /// (<c>max_steps</c>, <c>hitl.on_timeout</c>), which must be <paramref name="expected"/>, and gives null.
    /// </summary>
    public Policy? Invalid(string name, string expected, IPolicyValue value, string? closest = null)
    {
        var hint = closest is null ? string.Empty : $" (did you mean '{closest}'?)";
        Add(PolicyProblemKind.InvalidValue, PathOf(name), $"'{name}' of {where} must be {expected}, but is {value.Describe()}{hint}", value);
        return null;
    }

    /// <summary>True when the tool may be named: no tools are known (nothing to check), or it is one of them.</summary>
    public bool CheckTool(string field, string path, string tool, IPolicyValue at)
    {
        if (knownTools is null || knownTools.Contains(tool, StringComparer.Ordinal))
        {
            return true;
        }

        var names = knownTools.Order(StringComparer.Ordinal).ToList();
        Add(PolicyProblemKind.UnknownTool, path,
            $"unknown tool '{tool}' in '{field}' of {where} ({NameSuggestions.Hint(tool, names)}registered tools: " +
            $"{(names.Count == 0 ? "none" : string.Join(", ", names))})", at);
        return false;
    }
}
