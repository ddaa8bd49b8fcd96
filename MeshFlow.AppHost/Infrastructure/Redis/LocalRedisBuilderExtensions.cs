using MeshFlow.LocalServers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MeshFlow.AppHost.Infrastructure.Redis;

public static class LocalRedisBuilderExtensions
{
    /// <summary>
    /// Adds a Redis server run from <paramref name="toolchain"/> as a local process, its password and config in
    /// <paramref name="rootDirectory"/>. It is healthy once it accepts the password and answers <c>PING</c>.
    /// </summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        RedisToolchain toolchain,
        string rootDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        var redis = new LocalRedisResource(name, toolchain, rootDirectory);
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            _ => new LocalRedisHealthCheck(redis),
            failureStatus: null,
            tags: null));

        return builder.AddResource(redis)
            // Not proxied: Aspire allocates the port, the server listens on it and the services connect to it
            // directly. DCP's proxy would add a hop (and a share of the CPU) to every command of every step and token.
            .WithEndpoint(name: LocalRedisResource.PrimaryEndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                context.Args.Add(redis.ConfigFile);
                context.Args.Add("--port");
                context.Args.Add(redis.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
            })
            .WithIconName("Memory")
            .WithHealthCheck(healthCheckKey)
            .OnBeforeResourceStarted((resource, _, cancellationToken) => WriteConfigAsync(resource, cancellationToken))
            .ExcludeFromManifest();
    }

    private static async Task WriteConfigAsync(LocalRedisResource redis, CancellationToken cancellationToken)
    {
        PrivateDirectory.Ensure(redis.RootDirectory);

        var config = $"""
            # Written by the MeshFlow AppHost on every start; edits are lost.
            bind 127.0.0.1
            protected-mode yes
            daemonize no
            # No persistence: like the container without a volume, every run starts with an empty Redis.
            save ""
            appendonly no
            dir "{Quote(redis.RootDirectory)}"
            requirepass {redis.Password.ReadOrCreate()}

            """;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var writer = new StreamWriter(redis.ConfigFile, options);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync(config.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Quote(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
