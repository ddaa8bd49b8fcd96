namespace MeshFlow.Testing.Redis;

/// <summary>This machine cannot run a local Redis server: <c>redis-server</c> is missing. The message says how to get it.</summary>
public sealed class RedisNotAvailableException : Exception
{
    public RedisNotAvailableException()
        : base("A local Redis server cannot be started on this machine.")
    {
    }

    public RedisNotAvailableException(string message)
        : base(message)
    {
    }

    public RedisNotAvailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
