namespace MeshFlow.Ledger;

/// <summary>What an append did.</summary>
public enum AppendOutcome
{
    /// <summary>The record was written.</summary>
    Appended,

    /// <summary>An identical record was already there: nothing changed (a safe retry).</summary>
    AlreadyPresent,
}
