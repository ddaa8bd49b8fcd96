namespace MeshFlow.Runtime;

/// <summary>The one key under which a run is known to queues, buses and signals: tenant and run together.</summary>
internal static class RunKeys
{
    public static string Of(string tenantId, string runId) => Of(string.Empty, tenantId, runId);

    /// <summary>The key after <paramref name="prefix"/>, made as one string (a bus makes one for every event).</summary>
    public static string Of(string prefix, string tenantId, string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return string.Concat(prefix, tenantId, "/", runId);
    }
}
