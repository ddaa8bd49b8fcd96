using MeshFlow.Diagnostics;

namespace MeshFlow.Governance;

/// <summary>
/// Reads a policy from any source through <see cref="PolicyFields"/>: a mode name, or fields (with an optional
/// <c>mode</c>) over a base policy. The JSON and YAML readers only turn their source into <see cref="IPolicyValue"/>s.
/// </summary>
internal static class PolicyReading
{
    /// <summary>The preset of the mode <paramref name="value"/> names.</summary>
    public static PolicyReadResult ReadMode(IPolicyValue value, string path, PolicyReadScope scope)
    {
        var policy = Mode(value, path, scope);
        return new PolicyReadResult(policy, new HashSet<string>(StringComparer.Ordinal), scope.Problems);
    }

    /// <summary>
    /// <paramref name="basePolicy"/>, or the preset of the <c>mode</c> among <paramref name="fields"/>, with the other
    /// fields applied in order. A field set to null is not set. Every problem is collected.
    /// </summary>
    public static PolicyReadResult ReadFields(IReadOnlyList<(string Name, IPolicyValue Value)> fields, Policy basePolicy, PolicyReadScope scope)
    {
        var policy = basePolicy;
        foreach (var (name, value) in fields)
        {
            if (name == PolicyFields.Mode && !value.IsNull)
            {
                policy = Mode(value, scope.PathOf(name), scope) ?? basePolicy;
            }
        }

        var explicitFields = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            if (name == PolicyFields.Mode)
            {
                continue;
            }

            if (!PolicyFields.TryGet(name, out var field))
            {
                scope.Add(PolicyProblemKind.UnknownField, scope.PathOf(name),
                    $"unknown policy field '{name}' ({NameSuggestions.Hint(name, PolicyFields.Names)}expected " +
                    $"{string.Join(", ", PolicyFields.Names)})", value);
                continue;
            }

            if (!value.IsNull && field.Read(value, policy, scope) is { } read)
            {
                policy = read;
                explicitFields.Add(name);
            }
        }

        explicitFields.UnionWith(scope.ExplicitParts);
        return new PolicyReadResult(scope.Problems.Count == 0 ? policy : null, explicitFields, scope.Problems);
    }

    private static Policy? Mode(IPolicyValue value, string path, PolicyReadScope scope)
    {
        var modes = string.Join(", ", PolicyModes.All);
        if (!value.TryGetString(out var mode))
        {
            scope.Add(PolicyProblemKind.InvalidValue, path,
                $"'{PolicyFields.Mode}' of {scope.Where} must be a mode name ({modes}), but is {value.Describe()}", value);
            return null;
        }

        if (Policy.TryForMode(mode, out var policy))
        {
            return policy;
        }

        scope.Add(PolicyProblemKind.UnknownMode, path,
            $"unknown policy mode '{mode}' ({NameSuggestions.Hint(mode, PolicyModes.All)}expected {modes})", value);
        return null;
    }
}
