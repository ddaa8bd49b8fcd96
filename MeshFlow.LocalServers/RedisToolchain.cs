namespace MeshFlow.LocalServers;

/// <summary>The <c>redis-server</c> binary on this machine.</summary>
public sealed record RedisToolchain(string ServerPath)
{
    /// <summary>How to install the server on the machines MeshFlow runs on (Debian and Ubuntu).</summary>
    public const string InstallCommand = "apt-get install -y redis-server";

    /// <summary>
    /// <paramref name="configured"/> when it is set (and only there: a wrong setting fails rather than falls back);
    /// otherwise <c>redis-server</c> on <c>PATH</c>.
    /// </summary>
    /// <param name="configured">The binary the user chose, or null.</param>
    /// <param name="setting">The name of the setting that chose it, for messages (<see cref="LocalServerSettings.RedisServer"/>).</param>
    /// <param name="missing">When null is returned: what is missing and how to get it.</param>
    /// <param name="searchPath">The folders to search, <c>PATH</c>-style; null for this process's <c>PATH</c>.</param>
    /// <returns>The toolchain, or null.</returns>
    public static RedisToolchain? Locate(string? configured, string setting, out MissingServer? missing, string? searchPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(setting);

        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (ExecutableSearch.IsExecutableFile(configured))
            {
                missing = null;
                return new RedisToolchain(Path.GetFullPath(configured));
            }

            missing = new MissingServer(
                $"redis-server not found at {configured} ({setting})",
                $"{InstallCommand}, or point {setting} at the redis-server binary");
            return null;
        }

        if (ExecutableSearch.FindOnPath("redis-server", searchPath) is { } found)
        {
            missing = null;
            return new RedisToolchain(found);
        }

        missing = new MissingServer("redis-server not found on PATH", $"{InstallCommand} (or set {setting} to its path)");
        return null;
    }
}
