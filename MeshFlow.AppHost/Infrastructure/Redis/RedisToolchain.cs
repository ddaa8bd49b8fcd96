using MeshFlow.AppHost.Infrastructure.Processes;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.AppHost.Infrastructure.Redis;

/// <summary>The <c>redis-server</c> binary on this machine.</summary>
public sealed record RedisToolchain(string ServerPath)
{
    private const string InstallCommand = "apt-get install -y redis-server";

    /// <summary><see cref="AppHostSettings.RedisServer"/> when set (and only there); otherwise <c>redis-server</c> on <c>PATH</c>.</summary>
    /// <returns>The toolchain, or null with <paramref name="missing"/> saying what is missing and how to get it.</returns>
    public static RedisToolchain? Locate(IConfiguration configuration, out MissingServer? missing)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        if (configuration[AppHostSettings.RedisServer] is { Length: > 0 } configured)
        {
            if (ExecutableSearch.IsExecutableFile(configured))
            {
                missing = null;
                return new RedisToolchain(Path.GetFullPath(configured));
            }

            missing = new MissingServer(
                $"redis-server not found at {configured} ({AppHostSettings.RedisServer})",
                $"{InstallCommand}, or point {AppHostSettings.RedisServer} at the redis-server binary");
            return null;
        }

        if (ExecutableSearch.FindOnPath("redis-server") is { } found)
        {
            missing = null;
            return new RedisToolchain(found);
        }

        missing = new MissingServer("redis-server not found on PATH", $"{InstallCommand} (or set {AppHostSettings.RedisServer} to its path)");
        return null;
    }
}
