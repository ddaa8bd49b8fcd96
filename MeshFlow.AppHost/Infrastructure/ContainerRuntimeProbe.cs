using MeshFlow.LocalServers;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.AppHost.Infrastructure;

/// <summary>Decides whether run mode can use container resources.</summary>
public static class ContainerRuntimeProbe
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// <see cref="AppHostSettings.Containers"/> when set; otherwise whether <c>docker info</c> (or <c>podman info</c>)
    /// answers within a few seconds, which it only does when the daemon runs.
    /// </summary>
    /// <exception cref="InvalidOperationException">The setting is present but is not a boolean.</exception>
    public static bool UseContainers(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        var forced = configuration[AppHostSettings.Containers];
        if (!string.IsNullOrWhiteSpace(forced))
        {
            return forced.Trim() switch
            {
                "1" => true,
                "0" => false,
                var value when bool.TryParse(value, out var parsed) => parsed,
                var value => throw new InvalidOperationException(
                    $"{AppHostSettings.Containers}='{value}' is not a boolean: use true, false or leave it unset to probe the container runtime."),
            };
        }

        var runtime = configuration[AppHostSettings.ContainerRuntime] ?? configuration["DOTNET_" + AppHostSettings.ContainerRuntime];
        var client = string.Equals(runtime, "podman", StringComparison.OrdinalIgnoreCase) ? "podman" : "docker";
        return ExecutableSearch.FindOnPath(client) is { } path
            && ProcessRunner.TryRun(path, ["info"], ProbeTimeout) is { Succeeded: true };
    }
}
