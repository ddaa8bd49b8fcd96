namespace MeshFlow.Ledger;

/// <summary>A different record already holds this sequence number of the run: the chain would fork.</summary>
public sealed class LedgerConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerConflictException(string tenantId, string runId, long seq)
        : base($"run '{runId}' already has a different record at sequence number {seq}")
    {
        TenantId = tenantId;
        RunId = runId;
        Seq = seq;
    }

    /// <summary>The tenant.</summary>
    public string TenantId { get; }

    /// <summary>The run.</summary>
    public string RunId { get; }

    /// <summary>The contested sequence number.</summary>
    public long Seq { get; }
}
