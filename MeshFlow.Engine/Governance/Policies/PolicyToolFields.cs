using MeshFlow.Diagnostics;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Governance;

/// <summary>The policy fields that name tools: <c>allowed_tools</c> and <c>risk</c>.</summary>
internal static class PolicyToolFields
{
    public static PolicyField AllowedTools(string meaning) =>
        new("allowed_tools", "a list of tool names, such as [search, fetch]", meaning, ReadAllowedTools,
            policy => $"[{string.Join(", ", policy.AllowedTools)}]", ClampAllowedTools);

    public static PolicyField Risk(string meaning) =>
        new("risk", "a mapping of tool names to risk tiers, such as { shell: critical }", meaning, ReadRisk,
            policy => $"{{{string.Join(", ", policy.Risk.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}: {PolicyValues.Tier(r.Value)}"))}}}",
            ClampRisk);

    private static Policy? ReadAllowedTools(IPolicyValue value, Policy policy, PolicyField field, PolicyReadScope scope)
    {
        if (!value.TryGetList(out var items))
        {
            return scope.Invalid(field, value);
        }

        var tools = new List<string>(items.Count);
        var valid = true;
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"{scope.PathOf(field.Name)}[{i}]";
            if (!items[i].TryGetString(out var tool) || string.IsNullOrWhiteSpace(tool))
            {
                scope.Add(PolicyProblemKind.InvalidValue, path,
                    $"entry {i + 1} of '{field.Name}' of {scope.Where} must be a tool name, but is {items[i].Describe()}", items[i]);
                valid = false;
            }
            else if (!scope.CheckTool(field.Name, path, tool, items[i]))
            {
                valid = false;
            }
            else if (!tools.Contains(tool, StringComparer.Ordinal))
            {
                tools.Add(tool);
            }
        }

        return valid ? policy with { AllowedTools = tools } : null;
    }

    private static Policy? ReadRisk(IPolicyValue value, Policy policy, PolicyField field, PolicyReadScope scope)
    {
        if (!value.TryGetMap(out var entries))
        {
            return scope.Invalid(field, value);
        }

        var risk = new Dictionary<string, RiskTier>(StringComparer.Ordinal);
        var valid = true;
        foreach (var (key, written) in entries)
        {
            if (!key.TryGetString(out var tool) || string.IsNullOrWhiteSpace(tool))
            {
                scope.Add(PolicyProblemKind.InvalidValue, scope.PathOf(field.Name),
                    $"a key of '{field.Name}' of {scope.Where} must be a tool name, but is {key.Describe()}", key);
                valid = false;
                continue;
            }

            var path = $"{scope.PathOf(field.Name)}.{tool}";
            valid &= scope.CheckTool(field.Name, path, tool, key);
            if (written.TryGetString(out var name) && RiskTiers.TryParse(name, out var tier))
            {
                risk[tool] = tier;
                continue;
            }

            var hint = name is null ? string.Empty : NameSuggestions.Hint(name, RiskTiers.Names);
            scope.Add(PolicyProblemKind.InvalidValue, path,
                $"'{field.Name}' of {scope.Where} gives '{tool}' {written.Describe()}, which is not a risk tier " +
                $"({hint}expected {string.Join(", ", RiskTiers.Names)})", written);
            valid = false;
        }

        return valid ? policy with { Risk = risk } : null;
    }

    // A ceiling's list is the most a run may call: a request outside it is looser; one that lists nothing (any tool)
    // gets the ceiling's list.
    private static Policy ClampAllowedTools(Policy requested, Policy ceiling, PolicyClampScope scope)
    {
        var limit = ceiling.AllowedTools;
        if (limit.Count == 0)
        {
            return requested;
        }

        var allowed = string.Join(", ", limit);
        var tools = requested.AllowedTools;
        if (tools.Count == 0)
        {
            if (scope.IsExplicit)
            {
                scope.Refuse($"allowed_tools is empty (any tool), but the tenant's ceiling allows only {allowed}");
                return requested;
            }

            return requested with { AllowedTools = limit };
        }

        var within = tools.Where(t => limit.Contains(t, StringComparer.Ordinal)).ToList();
        if (within.Count == tools.Count)
        {
            return requested;
        }

        if (scope.IsExplicit)
        {
            for (var i = 0; i < tools.Count; i++)
            {
                if (!limit.Contains(tools[i], StringComparer.Ordinal))
                {
                    scope.Refuse($"allowed_tools includes '{tools[i]}', which the tenant's ceiling does not allow (allowed: {allowed})", $"[{i}]");
                }
            }

            return requested;
        }

        if (within.Count == 0)
        {
            // An empty list would allow any tool: there is nothing to tighten to, so even an implicit list is refused.
            scope.Refuse($"none of allowed_tools ({string.Join(", ", tools)}) is within the tenant's ceiling (allowed: {allowed})");
            return requested;
        }

        return requested with { AllowedTools = within };
    }

    // A ceiling's override is a floor: a lower requested tier is looser; a tool the request does not override gets
    // the ceiling's tier.
    private static Policy ClampRisk(Policy requested, Policy ceiling, PolicyClampScope scope)
    {
        Dictionary<string, RiskTier>? raised = null;
        foreach (var (tool, floor) in ceiling.Risk.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var overridden = requested.Risk.TryGetValue(tool, out var tier);
            if (overridden && tier >= floor)
            {
                continue;
            }

            if (overridden && scope.IsExplicit)
            {
                scope.Refuse($"risk of '{tool}' {PolicyValues.Tier(tier)} is below the tenant's ceiling of {PolicyValues.Tier(floor)}", $".{tool}");
                continue;
            }

            (raised ??= new Dictionary<string, RiskTier>(requested.Risk, StringComparer.Ordinal))[tool] = floor;
        }

        return raised is null ? requested : requested with { Risk = raised };
    }
}
