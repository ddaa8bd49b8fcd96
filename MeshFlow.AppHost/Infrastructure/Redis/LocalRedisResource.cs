using MeshFlow.LocalServers;

namespace MeshFlow.AppHost.Infrastructure.Redis;

/// <summary>
/// A Redis server run from the machine's <c>redis-server</c> as an executable resource: listening on 127.0.0.1 on a
/// port Aspire allocates, with a password (<c>requirepass</c>) generated once and kept in <see cref="RootDirectory"/>.
/// Nothing is persisted (<c>save ""</c>, <c>appendonly no</c>): like the container without a volume, every run starts empty.
/// </summary>
/// <remarks>Its connection string has the shape of <c>AddRedis</c>'s: <c>host:port,password=...</c>.</remarks>
public sealed class LocalRedisResource : ExecutableResource, IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";

    /// <param name="name">The resource name.</param>
    /// <param name="toolchain">The redis-server binary.</param>
    /// <param name="rootDirectory">This server's folder: password and the generated config file.</param>
    public LocalRedisResource(string name, RedisToolchain toolchain, string rootDirectory)
        : base(name, toolchain.ServerPath, rootDirectory)
    {
        RootDirectory = rootDirectory;
        ConfigFile = Path.Combine(rootDirectory, "redis.conf");
        Password = new LocalSecret($"{name}-password", Path.Combine(rootDirectory, "password"));
        PrimaryEndpoint = new EndpointReference(this, PrimaryEndpointName);
    }

    public string RootDirectory { get; }

    /// <summary>Holds <c>requirepass</c>, so the password never shows on a command line.</summary>
    public string ConfigFile { get; }

    public LocalSecret Password { get; }

    public EndpointReference PrimaryEndpoint { get; }

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)},password={Password}");

    /// <summary>The <c>REDIS_HOST</c>, <c>_PORT</c>, ... values a reference hands out next to the connection string, as <c>AddRedis</c>'s do.</summary>
    IEnumerable<KeyValuePair<string, ReferenceExpression>> IResourceWithConnectionString.GetConnectionProperties()
    {
        var host = PrimaryEndpoint.Property(EndpointProperty.Host);
        var port = PrimaryEndpoint.Property(EndpointProperty.Port);
        yield return new("Host", ReferenceExpression.Create($"{host}"));
        yield return new("Port", ReferenceExpression.Create($"{port}"));
        yield return new("Password", ReferenceExpression.Create($"{Password}"));

        // The password is letters and digits only, so it needs no escaping in a URI.
        yield return new("Uri", ReferenceExpression.Create($"redis://:{Password}@{host}:{port}"));
    }
}
