using Microsoft.Extensions.Configuration;

namespace MeshFlow.AppHost.Infrastructure;

/// <summary>Where the AppHost's local Postgres and Redis keep their data and generated passwords.</summary>
public static class LocalDataDirectory
{
    /// <summary>
    /// <see cref="AppHostSettings.DataDirectory"/> when set; as root <c>/var/lib/meshflow/apphost</c> (root's home is
    /// closed to the <c>postgres</c> user the server runs as); otherwise <c>$XDG_DATA_HOME/meshflow/apphost</c>,
    /// falling back to <c>~/.local/share/meshflow/apphost</c>.
    /// </summary>
    public static string Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        if (configuration[AppHostSettings.DataDirectory] is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        if (!OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess)
        {
            return "/var/lib/meshflow/apphost";
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(dataHome, "meshflow", "apphost");
    }
}
