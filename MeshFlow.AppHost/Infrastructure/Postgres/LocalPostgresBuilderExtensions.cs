using MeshFlow.LocalServers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace MeshFlow.AppHost.Infrastructure.Postgres;

public static class LocalPostgresBuilderExtensions
{
    /// <summary>
    /// Adds a PostgreSQL server run from <paramref name="toolchain"/> as a local process, with its data in
    /// <paramref name="rootDirectory"/>. It is healthy once it accepts a password login.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        PostgresToolchain toolchain,
        string rootDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        var server = new LocalPostgresServerResource(name, toolchain, rootDirectory);
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            services => new LocalPostgresHealthCheck(server, database: null, services.GetRequiredService<ResourceLoggerService>().GetLogger(server)),
            failureStatus: null,
            tags: null));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LocalPostgresShutdown>());

        return builder.AddResource(server)
            // Not proxied: Aspire allocates the port, the server listens on it and the services connect to it
            // directly. DCP's proxy would add a hop (and a share of the CPU) to every command of every step and token.
            .WithEndpoint(name: LocalPostgresServerResource.PrimaryEndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                var (_, arguments) = toolchain.Command(
                    "postgres",
                    ["-D", server.DataDirectory, "-h", "127.0.0.1", "-k", server.SocketDirectory, "-c", "max_connections=200"]);
                foreach (var argument in arguments)
                {
                    context.Args.Add(argument);
                }

                context.Args.Add("-p");
                context.Args.Add(server.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
            })
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey)
            .OnBeforeResourceStarted((resource, @event, cancellationToken) => LocalPostgresSetup.PrepareAsync(
                resource,
                @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource),
                cancellationToken))
            .ExcludeFromManifest();
    }

    /// <summary>
    /// Adds a database to a local PostgreSQL server; its connection string goes out under <paramref name="name"/>.
    /// It is healthy once the server accepts connections and the database exists (created when missing).
    /// </summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> builder,
        [ResourceName] string name,
        string? databaseName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        databaseName ??= name;
        if (!IsPlainIdentifier(databaseName))
        {
            throw new ArgumentException(
                $"'{databaseName}' is not a plain database name: use letters, digits and underscores, not starting with a digit.",
                nameof(databaseName));
        }

        var database = new LocalPostgresDatabaseResource(name, databaseName, builder.Resource);
        builder.Resource.AddDatabase(name, databaseName);

        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            services => new LocalPostgresHealthCheck(
                builder.Resource,
                database,
                services.GetRequiredService<ResourceLoggerService>().GetLogger(database)),
            failureStatus: null,
            tags: null));

        return builder.ApplicationBuilder.AddResource(database)
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey)
            .OnInitializeResource((resource, @event, cancellationToken) =>
            {
                var stopping = @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                _ = FollowServerStateAsync(resource, @event.Notifications, stopping);
                return Task.CompletedTask;
            })
            .ExcludeFromManifest();
    }

    /// <summary>
    /// Gives the database its server's state. Aspire does this for children of containers only; without a state
    /// the database's health check never runs and nothing waiting for it would start.
    /// </summary>
    private static async Task FollowServerStateAsync(
        LocalPostgresDatabaseResource database,
        ResourceNotificationService notifications,
        CancellationToken cancellationToken)
    {
        string? last = null;
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                var server = update.Snapshot;
                if (!ReferenceEquals(update.Resource, database.Parent) || server.State?.Text == last)
                {
                    continue;
                }

                last = server.State?.Text;
                await notifications.PublishUpdateAsync(database, snapshot => snapshot with
                {
                    State = server.State,
                    StartTimeStamp = server.StartTimeStamp,
                    StopTimeStamp = server.StopTimeStamp,
                }).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The AppHost is stopping.
        }
    }

    private static bool IsPlainIdentifier(string name) =>
        name.Length is > 0 and <= 63
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
