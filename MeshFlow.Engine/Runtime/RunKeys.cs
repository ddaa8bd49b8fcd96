namespace MeshFlow.Runtime;

/// <summary>The one key under which a run is known to queues, buses and signals: tenant and run together.</summary>
internal static class RunKeys
{
    public static string Of(string tenantId, string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return tenantId + "/" + runId;
    }
}
