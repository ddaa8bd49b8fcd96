namespace MeshFlow.Distributed.Ledger.Postgres;

/// <summary>What became of a <see cref="PendingAppend"/> in its batch.</summary>
internal enum AppendResult
{
    /// <summary>The record was inserted, with its checkpoint and run summary.</summary>
    Inserted,

    /// <summary>The sequence number was already taken: the caller compares the stored record with its own.</summary>
    SequenceTaken,

    /// <summary>Its batch failed as a whole: the caller writes the append on its own, to get its own answer.</summary>
    RetryAlone,
}
