using MeshFlow.AppHost.Infrastructure;

namespace MeshFlow.AppHost;

/// <summary>
/// The built-in tools' settings, passed from the AppHost's configuration to every process that runs steps (the api and
/// the workers), with one workspace folder for all of them: a run resumed on another worker after an approval finds the
/// files its earlier steps wrote.
/// </summary>
public static class ToolSettingsExtensions
{
    private const string WorkspaceKey = "MESHFLOW_WORKSPACE_DIR";

    /// <summary>The plain settings passed through as they are.</summary>
    public static readonly string[] PlainKeys =
    [
        "MESHFLOW_TOOLS", "MESHFLOW_TOOLS_ALLOW_PRIVATE", "MESHFLOW_TOOLS_SEARCH_URL", "MESHFLOW_TOOLS_PYTHON",
        "MESHFLOW_TOOLS_SHELL_ALLOW", "MESHFLOW_ALLOWED_HOSTS",
    ];

    /// <summary>The tool settings the AppHost was given; the workspace defaults to <c>workspace</c> in its data folder.</summary>
    public static ToolSettings AddToolSettings(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = PlainKeys.Where(key => builder.Configuration[key] is { Length: > 0 })
            .ToDictionary(key => key, key => builder.Configuration[key]!, StringComparer.Ordinal);
        settings[WorkspaceKey] = builder.Configuration[WorkspaceKey] is { Length: > 0 } workspace
            ? Path.GetFullPath(workspace)
            : Path.Combine(LocalDataDirectory.Resolve(builder.Configuration), "workspace");
        return new ToolSettings(settings);
    }

    /// <summary>Passes the tool settings to the service.</summary>
    public static IResourceBuilder<T> WithToolSettings<T>(this IResourceBuilder<T> builder, ToolSettings settings)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (key, value) in settings.Values)
        {
            builder.WithEnvironment(key, value);
        }

        return builder;
    }
}

/// <summary>The tool settings an AppHost passes on to the processes that run steps.</summary>
public sealed record ToolSettings(IReadOnlyDictionary<string, string> Values);
