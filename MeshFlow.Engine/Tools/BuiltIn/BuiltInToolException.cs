namespace MeshFlow.Tools.BuiltIn;

/// <summary>
/// A built-in tool refused a call or could not complete it. The message is for the model and the run's record: it says
/// what went wrong in one line and never carries a secret, a file's content or a path outside the run's workspace.
/// </summary>
public sealed class BuiltInToolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BuiltInToolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause (kept for logs; the message stays the one given).</summary>
    public BuiltInToolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public BuiltInToolException()
        : base("the tool call failed")
    {
    }
}
