using System.Text.Json;

namespace MeshFlow.Governance;

/// <summary>
/// Reads the body of <c>PUT /admin/tenants/{tenant}/policy</c>:
/// <c>{"default": "&lt;mode&gt;" | {fields}, "ceiling": "&lt;mode&gt;" | {fields}}</c>. Problems name their field
/// as <c>default.max_steps</c> or <c>ceiling.risk_threshold</c>.
/// </summary>
/// <remarks>
/// A ceiling of fields without a mode limits only those fields; a default of fields without a mode starts from
/// <see cref="PolicyModes.Standard"/>. A default must fit under the ceiling as a run's request does: a field it
/// writes looser than the ceiling is refused, naming the field and the ceiling; what its mode brings is tightened.
/// </remarks>
public static class TenantPolicyReader
{
    private static readonly string[] Fields = ["default", "ceiling"];

    /// <summary>The tenant's policies, or the first problem.</summary>
    /// <param name="body">The request's body.</param>
    /// <param name="knownTools">The tools policies may name; null to leave tool names unchecked.</param>
    public static (TenantPolicy? Policy, (string Field, string Problem)? Error) Read(JsonElement body,
        IReadOnlyCollection<string>? knownTools = null)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, ("body", "the body must be a JSON object with 'default' and/or 'ceiling'"));
        }

        foreach (var property in body.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal))
            {
                return (null, (property.Name, $"unknown field '{property.Name}' (expected {string.Join(", ", Fields)})"));
            }
        }

        Policy? ceiling = null;
        if (body.TryGetProperty("ceiling", out var ceilingElement) && ceilingElement.ValueKind != JsonValueKind.Null)
        {
            // Without a mode, a ceiling starts from no limits at all: it limits only what it names. A new policy's
            // hitl has approvals on for 24 hours, which as a ceiling would be limits, so it starts from none there too.
            var unlimited = new Policy { Hitl = PolicyHitlCeiling.NoLimit };
            var read = PolicyJsonReader.Read(ceilingElement, unlimited, "ceiling", "the tenant's ceiling", knownTools);
            if (read.Error is { } error)
            {
                return (null, error);
            }

            ceiling = read.Policy;
        }

        Policy? @default = null;
        if (body.TryGetProperty("default", out var defaultElement) && defaultElement.ValueKind != JsonValueKind.Null)
        {
            var read = PolicyJsonReader.Read(defaultElement, Policy.ForMode(PolicyModes.Standard), "default", "the tenant's default", knownTools);
            if (read.Error is { } error)
            {
                return (null, error);
            }

            // The rule of a run's request: a field written looser than the ceiling is refused; what the mode (or
            // standard) brings is tightened, since a mode also carries fields the admin did not think about.
            var fitted = PolicyCeiling.Apply(read.Policy!, read.ExplicitFields, ceiling, "default");
            if (fitted.Error is { } refused)
            {
                return (null, refused);
            }

            @default = fitted.Policy;
        }

        return (new TenantPolicy { Default = @default, Ceiling = ceiling }, null);
    }
}
