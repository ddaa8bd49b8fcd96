using MeshFlow.AppHost.ApiKeys;
using MeshFlow.AppHost.Infrastructure;
using MeshFlow.AppHost.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshFlow.AppHost.Tests;

/// <summary>How the app model hands the api its keys, inspected without starting anything.</summary>
public sealed class ApiKeyModelTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("meshflow-apphost-keys-");

    private string KeyFile => Path.Combine(_data.FullName, "api", "api-key");

    [Fact]
    public async Task Without_keys_of_its_own_the_api_gets_the_development_key_as_an_admin_of_the_default_tenant_through_a_secret_parameter()
    {
        await using var builder = await CreateModelAsync($"{AppHostSettings.DataDirectory}={_data.FullName}");

        var parameter = Assert.Single(builder.Resources.OfType<ParameterResource>(), p => p.Name == ApiKeyExtensions.ParameterName);
        Assert.True(parameter.Secret);
        Assert.Equal("{meshflow-api-keys.value}", (await EnvironmentAsync(builder))["MESHFLOW_API_KEYS"]);
        Assert.False(File.Exists(KeyFile), "building the model makes no key");

        var entry = await parameter.GetValueAsync(TestContext.Current.CancellationToken);

        Assert.Equal($"{(await File.ReadAllTextAsync(KeyFile, TestContext.Current.CancellationToken)).Trim()}:default:admin", entry);
    }

    [Fact]
    public async Task The_users_keys_are_handed_on_as_they_are_and_no_development_key_is_made()
    {
        await using var builder = await CreateModelAsync($"{AppHostSettings.DataDirectory}={_data.FullName}", "MESHFLOW_API_KEYS=k-one:acme:admin,k-two:globex");

        var parameter = Assert.Single(builder.Resources.OfType<ParameterResource>(), p => p.Name == ApiKeyExtensions.ParameterName);
        Assert.True(parameter.Secret);
        Assert.Equal("k-one:acme:admin,k-two:globex", await parameter.GetValueAsync(TestContext.Current.CancellationToken));
        Assert.Equal("{meshflow-api-keys.value}", (await EnvironmentAsync(builder))["MESHFLOW_API_KEYS"]);
        Assert.False(Directory.Exists(Path.GetDirectoryName(KeyFile)));
    }

    [Fact]
    public async Task The_dashboard_is_signed_in_with_the_development_key_through_a_secret_parameter()
    {
        await using var builder = await CreateModelAsync($"{AppHostSettings.DataDirectory}={_data.FullName}");

        var parameter = Assert.Single(builder.Resources.OfType<ParameterResource>(), p => p.Name == DashboardSignInExtensions.ParameterName);
        Assert.True(parameter.Secret);
        Assert.Equal("{meshflow-dashboard-api-key.value}", (await EnvironmentAsync(builder, "dashboard"))[DashboardSignInExtensions.DashboardApiKeyVariable]);
        Assert.False(File.Exists(KeyFile), "building the model makes no key");

        var key = await parameter.GetValueAsync(TestContext.Current.CancellationToken);

        Assert.Equal((await File.ReadAllTextAsync(KeyFile, TestContext.Current.CancellationToken)).Trim(), key);
    }

    [Fact]
    public async Task With_the_users_own_keys_the_dashboard_is_not_signed_in_automatically()
    {
        await using var builder = await CreateModelAsync($"{AppHostSettings.DataDirectory}={_data.FullName}", "MESHFLOW_API_KEYS=k-one:acme:admin");

        Assert.DoesNotContain(builder.Resources.OfType<ParameterResource>(), p => p.Name == DashboardSignInExtensions.ParameterName);
        Assert.False((await EnvironmentAsync(builder, "dashboard")).ContainsKey(DashboardSignInExtensions.DashboardApiKeyVariable));
    }

    public void Dispose() => _data.Delete(recursive: true);

    private static async Task<IDistributedApplicationTestingBuilder> CreateModelAsync(params string[] settings) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.MeshFlow_AppHost>([$"{AppHostSettings.Containers}=false", .. settings],
                TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

    /// <summary>A project's environment (the api's by default) as manifest expressions, without allocating endpoints or resolving values.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(IDistributedApplicationTestingBuilder builder, string resourceName = "api")
    {
        var api = Assert.Single(builder.Resources.OfType<ProjectResource>(), resource => resource.Name == resourceName);
        var configuration = await ExecutionConfigurationBuilder.Create(api)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new(DistributedApplicationOperation.Publish), NullLogger.Instance, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        return configuration.EnvironmentVariables.ToDictionary();
    }
}
