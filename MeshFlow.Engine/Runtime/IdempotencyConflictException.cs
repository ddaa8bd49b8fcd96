namespace MeshFlow.Runtime;

/// <summary>An idempotency key was used again with a different request (another workflow, input or policy).</summary>
public sealed class IdempotencyConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IdempotencyConflictException()
        : base("the idempotency key was already used with a different request")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public IdempotencyConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public IdempotencyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
