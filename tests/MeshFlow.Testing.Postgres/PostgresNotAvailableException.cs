namespace MeshFlow.Testing.Postgres;

/// <summary>
/// This machine cannot run a local PostgreSQL server: the server binaries, the <c>postgres</c> user or
/// <c>runuser</c> are missing. The message says which, and how to get it.
/// </summary>
public sealed class PostgresNotAvailableException : Exception
{
    public PostgresNotAvailableException()
        : base("A local PostgreSQL server cannot be started on this machine.")
    {
    }

    public PostgresNotAvailableException(string message)
        : base(message)
    {
    }

    public PostgresNotAvailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
