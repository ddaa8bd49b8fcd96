namespace MeshFlow.Ledger.Evidence;

/// <summary>
/// A file or text is not an evidence bundle this version can read: not a MeshFlow evidence bundle at all, an unknown
/// format version, or a field missing or of the wrong type (named by its JSON path). The message is one line.
/// </summary>
public sealed class EvidenceFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public EvidenceFormatException()
    {
    }

    /// <summary>Creates the exception with its one-line message.</summary>
    public EvidenceFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and cause.</summary>
    public EvidenceFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
