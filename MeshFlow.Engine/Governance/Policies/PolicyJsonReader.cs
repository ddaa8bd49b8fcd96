using System.Text.Json;

namespace MeshFlow.Governance;

/// <summary>
/// Reads a policy written in JSON: a mode name (<c>"strict"</c>), or an object of fields over a mode
/// (<c>{"mode": "strict", "max_steps": 20}</c>) or, without <c>mode</c>, over a base policy. Fields are those of
/// <see cref="PolicyFields"/>; problems name the field as <c>policy.max_steps</c>.
/// </summary>
public static class PolicyJsonReader
{
    /// <summary>Reads a run's policy.</summary>
    /// <param name="element">The policy as written.</param>
    /// <param name="basePolicy">What an object without <c>mode</c> overrides (a run's workflow's policy).</param>
    /// <param name="knownTools">
    /// The tools <c>allowed_tools</c> and <c>risk</c> may name; null to leave tool names unchecked.
    /// </param>
    /// <returns>The policy and the fields it set, or every problem.</returns>
    public static PolicyReadResult Read(JsonElement element, Policy basePolicy, IReadOnlyCollection<string>? knownTools = null) =>
        Read(element, basePolicy, "policy", "the policy", knownTools);

    /// <summary>Reads a policy found at <paramref name="field"/> (<c>policy</c>, <c>default</c>...).</summary>
    internal static PolicyReadResult Read(JsonElement element, Policy basePolicy, string field, string where,
        IReadOnlyCollection<string>? knownTools)
    {
        ArgumentNullException.ThrowIfNull(basePolicy);
        var scope = new PolicyReadScope(field, where, knownTools);
        var value = new JsonPolicyValue(element);
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return PolicyReading.ReadMode(value, field, scope);
            case JsonValueKind.Object:
                return PolicyReading.ReadFields(
                    [.. element.EnumerateObject().Select(p => (p.Name, (IPolicyValue)new JsonPolicyValue(p.Value)))], basePolicy, scope);
            default:
                scope.Add(PolicyProblemKind.InvalidValue, field,
                    $"'{field}' must be a mode name ({string.Join(", ", PolicyModes.All)}) or an object such as " +
                    "{\"mode\": \"strict\", \"max_steps\": 20}", value);
                return new PolicyReadResult(null, new HashSet<string>(StringComparer.Ordinal), scope.Problems);
        }
    }
}
