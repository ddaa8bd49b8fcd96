using MeshFlow.Execution;
using MeshFlow.Hosting;
using MeshFlow.Tools.BuiltIn;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFlow.Tests.Hosting;

/// <summary>The MESHFLOW_TOOLS* settings a host's engine takes, and the one-line errors for bad ones.</summary>
public sealed class BuiltInToolConfigurationTests
{
    private static MeshFlowEngine EngineWith(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddMeshFlowEngine()
            .BuildServiceProvider()
            .GetRequiredService<MeshFlowEngine>();

    [Fact]
    public void Every_built_in_tool_is_offered_unless_the_host_names_some_or_none()
    {
        Assert.All(BuiltInToolNames.All, name => Assert.NotNull(EngineWith([]).FindTool(name)));

        var some = EngineWith(new() { [BuiltInToolConfiguration.ToolsKey] = "calculator, web_fetch" });
        Assert.Equal(["calculator", "web_fetch"], BuiltInToolNames.All.Where(name => some.FindTool(name) is not null).Order(StringComparer.Ordinal));

        var none = EngineWith(new() { [BuiltInToolConfiguration.ToolsKey] = "none" });
        Assert.All(BuiltInToolNames.All, name => Assert.Null(none.FindTool(name)));
    }

    [Fact]
    public void The_settings_reach_the_tools_options()
    {
        var options = new BuiltInToolOptions();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [MeshFlowServiceCollectionExtensions.WorkspaceDirectoryKey] = "/srv/meshflow/../meshflow/workspace",
            [BuiltInToolConfiguration.AllowPrivateKey] = "true",
            [BuiltInToolConfiguration.SearchUrlKey] = "http://127.0.0.1:8080/html/",
            [BuiltInToolConfiguration.PythonKey] = "/usr/bin/python3.11",
            [BuiltInToolConfiguration.ShellAllowKey] = "ls, cat",
        }).Build();

        BuiltInToolConfiguration.Apply(configuration, options);

        Assert.Equal("/srv/meshflow/workspace", options.WorkspaceDirectory);
        Assert.True(options.Network.AllowPrivateAddresses);
        Assert.Equal(new Uri("http://127.0.0.1:8080/html/"), options.Network.SearchEndpoint);
        Assert.Equal("/usr/bin/python3.11", options.Sandbox.PythonPath);
        Assert.Equal(["ls", "cat"], options.Sandbox.ShellPrograms);
    }

    [Theory]
    [InlineData("MESHFLOW_TOOLS", "calculator,rm_rf", "MESHFLOW_TOOLS names 'rm_rf', which is not a built-in tool")]
    [InlineData("MESHFLOW_TOOLS_ALLOW_PRIVATE", "yes", "MESHFLOW_TOOLS_ALLOW_PRIVATE must be true or false, not 'yes'")]
    [InlineData("MESHFLOW_TOOLS_SEARCH_URL", "ftp://search.example", "MESHFLOW_TOOLS_SEARCH_URL must be an absolute http or https URL")]
    [InlineData("MESHFLOW_TOOLS_SHELL_ALLOW", "ls,/bin/sh", "MESHFLOW_TOOLS_SHELL_ALLOW lists programs by name, not by path: '/bin/sh'")]
    public void A_malformed_setting_stops_the_host_naming_it(string key, string value, string message)
    {
        var error = Assert.Throws<FormatException>(() => EngineWith(new() { [key] = value }));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
