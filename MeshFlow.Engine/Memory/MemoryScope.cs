namespace MeshFlow.Memory;

/// <summary>Which earlier work an agent's memory spans.</summary>
public enum MemoryScope
{
    /// <summary>This agent within this run: a later pass of a loop recalls what the earlier ones produced.</summary>
    Run,

    /// <summary>This agent (the same tenant, workflow and node) across runs.</summary>
    Agent,

    /// <summary>Every agent of the tenant.</summary>
    Tenant,
}
