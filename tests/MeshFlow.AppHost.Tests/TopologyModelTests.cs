using MeshFlow.AppHost.Infrastructure;
using MeshFlow.AppHost.Infrastructure.Postgres;
using MeshFlow.AppHost.Infrastructure.Redis;
using MeshFlow.AppHost.Infrastructure.Topology;
using MeshFlow.AppHost.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshFlow.AppHost.Tests;

/// <summary>The app model the AppHost builds in run mode, inspected without starting anything.</summary>
public sealed class TopologyModelTests
{
    [Fact]
    public async Task Missing_redis_server_runs_the_api_embedded_without_workers_and_says_how_to_install_it()
    {
        await using var builder = await CreateModelAsync(
            $"{AppHostSettings.Containers}=false",
            $"{AppHostSettings.RedisServer}=/nonexistent/bin/redis-server");

        Assert.DoesNotContain(builder.Resources, resource => resource.Name is "redis" or "postgres" or "ledger" or "worker");
        var api = Assert.Single(builder.Resources.OfType<ProjectResource>(), resource => resource.Name == "api");
        var environment = await PublishEnvironmentAsync(api);
        Assert.DoesNotContain(environment.Keys, key => key.StartsWith("ConnectionStrings__", StringComparison.Ordinal));
        Assert.Empty(api.Annotations.OfType<WaitAnnotation>());

        var topology = Assert.Single(builder.Resources.OfType<TopologyResource>());
        Assert.Equal(TopologyBuilderExtensions.ResourceName, topology.Name);
        Assert.Equal(InfrastructureMode.Embedded, topology.Mode);
        Assert.Contains("redis-server not found", topology.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y redis-server", topology.Message, StringComparison.Ordinal);
        var snapshot = Assert.Single(topology.Annotations.OfType<ResourceSnapshotAnnotation>()).InitialSnapshot;
        Assert.Equal(KnownResourceStateStyles.Warn, snapshot.State?.Style);
        Assert.Contains("redis-server", snapshot.State?.Text, StringComparison.Ordinal);
        Assert.Contains(snapshot.Properties, property =>
            property.Name == TopologyBuilderExtensions.MessageProperty && property.Value as string == topology.Message);
    }

    [Fact]
    public async Task Missing_postgres_binaries_name_the_postgresql_package()
    {
        await using var builder = await CreateModelAsync(
            $"{AppHostSettings.Containers}=false",
            $"{AppHostSettings.PostgresBin}=/nonexistent/postgresql/bin");

        Assert.DoesNotContain(builder.Resources, resource => resource.Name is "redis" or "postgres" or "ledger" or "worker");
        var topology = Assert.Single(builder.Resources.OfType<TopologyResource>());
        Assert.Equal(InfrastructureMode.Embedded, topology.Mode);
        Assert.Contains("PostgreSQL server binaries", topology.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y postgresql", topology.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("redis-server", topology.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_container_runtime_postgres_and_redis_are_local_processes_handed_to_api_and_workers()
    {
        await using var builder = await CreateModelAsync($"{AppHostSettings.Containers}=false");

        var postgres = Assert.Single(builder.Resources.OfType<LocalPostgresServerResource>());
        Assert.Equal("postgres", postgres.Name);
        var ledger = Assert.Single(builder.Resources.OfType<LocalPostgresDatabaseResource>());
        Assert.Equal(("ledger", "ledger", postgres), (ledger.Name, ledger.DatabaseName, ledger.Parent));
        Assert.Equal("redis", Assert.Single(builder.Resources.OfType<LocalRedisResource>()).Name);
        Assert.Equal(InfrastructureMode.LocalProcesses, Assert.Single(builder.Resources.OfType<TopologyResource>()).Mode);

        foreach (var service in builder.Resources.OfType<ProjectResource>().Where(resource => resource.Name is "api" or "worker"))
        {
            var environment = await PublishEnvironmentAsync(service);
            Assert.Equal("{ledger.connectionString}", environment["ConnectionStrings__ledger"]);
            Assert.Equal("{redis.connectionString}", environment["ConnectionStrings__redis"]);
            var waitsFor = service.Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource.Name).ToHashSet();
            Assert.Superset(new HashSet<string> { "ledger", "redis" }, waitsFor);
        }

        var worker = Assert.Single(builder.Resources.OfType<ProjectResource>(), resource => resource.Name == "worker");
        Assert.Equal(2, worker.Annotations.OfType<ReplicaAnnotation>().Single().Replicas);
    }

    [Fact]
    public async Task Forcing_containers_in_run_mode_uses_the_standard_container_resources()
    {
        await using var builder = await CreateModelAsync($"{AppHostSettings.Containers}=true");

        Assert.IsType<PostgresServerResource>(Assert.Single(builder.Resources, resource => resource.Name == "postgres"));
        Assert.IsType<PostgresDatabaseResource>(Assert.Single(builder.Resources, resource => resource.Name == "ledger"));
        Assert.IsType<RedisResource>(Assert.Single(builder.Resources, resource => resource.Name == "redis"));
        Assert.Equal(InfrastructureMode.Containers, Assert.Single(builder.Resources.OfType<TopologyResource>()).Mode);
    }

    [Fact]
    public async Task A_containers_setting_that_is_not_a_boolean_is_refused()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => CreateModelAsync($"{AppHostSettings.Containers}=maybe"));

        Assert.Contains("MESHFLOW_CONTAINERS='maybe' is not a boolean", Flatten(refused), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_secrets_reach_the_api_and_workers_as_a_secret_parameter_and_the_other_settings_as_they_are()
    {
        await using var builder = await CreateModelAsync($"{AppHostSettings.Containers}=false",
            "MESHFLOW_WEBHOOK_SECRETS=acme=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "MESHFLOW_WEBHOOK_ALLOW_PRIVATE=true");

        var secrets = Assert.Single(builder.Resources.OfType<ParameterResource>(), p => p.Name == "webhook-secrets");
        Assert.True(secrets.Secret);
        foreach (var name in new[] { "api", "worker" })
        {
            var service = Assert.Single(builder.Resources.OfType<ProjectResource>(), resource => resource.Name == name);
            var environment = await PublishEnvironmentAsync(service);
            Assert.Equal("{webhook-secrets.value}", environment["MESHFLOW_WEBHOOK_SECRETS"]);
            Assert.Equal("true", environment["MESHFLOW_WEBHOOK_ALLOW_PRIVATE"]);
            Assert.Contains("MESHFLOW_PUBLIC_URL", environment.Keys);
        }
    }

    [Fact]
    public async Task Tool_settings_reach_the_api_and_workers_with_one_shared_workspace()
    {
        var data = Path.Combine(Path.GetTempPath(), "meshflow-apphost-" + Guid.NewGuid().ToString("N"));
        await using var builder = await CreateModelAsync($"{AppHostSettings.Containers}=false", $"{AppHostSettings.DataDirectory}={data}",
            "MESHFLOW_TOOLS=calculator,python_repl", "MESHFLOW_TOOLS_ALLOW_PRIVATE=true");

        foreach (var name in new[] { "api", "worker" })
        {
            var service = Assert.Single(builder.Resources.OfType<ProjectResource>(), resource => resource.Name == name);
            var environment = await PublishEnvironmentAsync(service);
            Assert.Equal(Path.Combine(data, "workspace"), environment["MESHFLOW_WORKSPACE_DIR"]);
            Assert.Equal("calculator,python_repl", environment["MESHFLOW_TOOLS"]);
            Assert.Equal("true", environment["MESHFLOW_TOOLS_ALLOW_PRIVATE"]);
            Assert.DoesNotContain("MESHFLOW_TOOLS_SEARCH_URL", environment.Keys);
        }
    }

    private static async Task<IDistributedApplicationTestingBuilder> CreateModelAsync(params string[] settings) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.MeshFlow_AppHost>(settings, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

    /// <summary>The environment as manifest expressions: what a reference hands out, without allocating endpoints.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> PublishEnvironmentAsync(IResourceWithEnvironment resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new(DistributedApplicationOperation.Publish), NullLogger.Instance, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        return configuration.EnvironmentVariables.ToDictionary();
    }

    private static string Flatten(Exception exception) =>
        exception.InnerException is null ? exception.Message : exception.Message + "\n" + Flatten(exception.InnerException);
}
