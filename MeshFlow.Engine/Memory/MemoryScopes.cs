namespace MeshFlow.Memory;

/// <summary>
/// The scope keys memories are stored under (<c>VectorEntry.Scope</c>), one per <see cref="MemoryScope"/>. The tenant is
/// not part of a key: each tenant's memories live in a collection of their own, and every entry carries its tenant.
/// </summary>
public static class MemoryScopes
{
    /// <summary>The key of the tenant-wide scope.</summary>
    public const string Tenant = "tenant";

    /// <summary>One agent node within one run: <c>run:{runId}:{nodeId}</c>.</summary>
    public static string Run(string runId, string nodeId) => string.Concat("run:", runId, ":", nodeId);

    /// <summary>One agent node of one workflow, across the tenant's runs: <c>agent:{workflow}:{nodeId}</c>.</summary>
    public static string Agent(string workflow, string nodeId) => string.Concat("agent:", workflow, ":", nodeId);

    /// <summary>The key of <paramref name="scope"/> for a node of a run.</summary>
    public static string For(MemoryScope scope, string workflow, string runId, string nodeId) => scope switch
    {
        MemoryScope.Run => Run(runId, nodeId),
        MemoryScope.Agent => Agent(workflow, nodeId),
        MemoryScope.Tenant => Tenant,
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };

    /// <summary>The wire name of a scope, as a definition writes it (<c>run</c>, <c>agent</c>, <c>tenant</c>).</summary>
    public static string NameOf(MemoryScope scope) => scope switch
    {
        MemoryScope.Run => "run",
        MemoryScope.Agent => "agent",
        MemoryScope.Tenant => "tenant",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };

    /// <summary>The wire names of the scopes, in the order a definition's error lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = [NameOf(MemoryScope.Run), NameOf(MemoryScope.Agent), NameOf(MemoryScope.Tenant)];

    /// <summary>Reads a scope by its wire name.</summary>
    public static bool TryParse(string name, out MemoryScope scope)
    {
        switch (name)
        {
            case "run":
                scope = MemoryScope.Run;
                return true;
            case "agent":
                scope = MemoryScope.Agent;
                return true;
            case "tenant":
                scope = MemoryScope.Tenant;
                return true;
            default:
                scope = default;
                return false;
        }
    }
}
