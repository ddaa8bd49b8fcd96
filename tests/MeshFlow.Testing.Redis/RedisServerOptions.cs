namespace MeshFlow.Testing.Redis;

/// <summary>How to start a <see cref="RedisServer"/>.</summary>
public sealed class RedisServerOptions
{
    /// <summary>A password clients must give (<c>requirepass</c>); none when null.</summary>
    public string? Password { get; init; }

    /// <summary>The <c>redis-server</c> binary; when null, <c>MESHFLOW_REDIS_SERVER</c>, else the first on <c>PATH</c>.</summary>
    public string? ServerPath { get; init; }
}
