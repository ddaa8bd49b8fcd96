using System.Text.Json.Serialization;

namespace MeshFlow.Governance;

/// <summary>
/// A tenant's policies: the one its runs get when they ask for none, and the ceiling no run may exceed
/// (<see cref="PolicyCeiling"/>). Read from <c>PUT /admin/tenants/{tenant}/policy</c> by <see cref="TenantPolicyReader"/>.
/// </summary>
public sealed record TenantPolicy
{
    /// <summary>The policy of the tenant's runs that ask for none; null for each workflow's own.</summary>
    [JsonPropertyName("default")]
    public Policy? Default { get; init; }

    /// <summary>
    /// The loosest policy the tenant's runs may have; null for no ceiling. Written as fields without a mode, it
    /// limits only the fields it names (its <see cref="Policy.Mode"/> is then only a label).
    /// </summary>
    [JsonPropertyName("ceiling")]
    public Policy? Ceiling { get; init; }
}
