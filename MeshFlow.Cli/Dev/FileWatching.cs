using System.Globalization;

namespace MeshFlow.Cli.Dev;

/// <summary>
/// Whether <c>dotnet watch</c> can watch the AppHost's files by events. On Linux every watched folder takes an inotify
/// instance, and a user may hold only <c>fs.inotify.max_user_instances</c> of them (128 by default): watching MeshFlow's
/// AppHost and services takes about 110, so on a machine where an editor or other .NET processes hold some, the watch
/// fails at start. There it polls instead (<c>DOTNET_USE_POLLING_FILE_WATCHER</c>), which works everywhere.
/// </summary>
internal static class FileWatching
{
    /// <summary>The variable that makes <c>dotnet watch</c> (and the services' configuration reloads) poll.</summary>
    public const string PollingVariable = "DOTNET_USE_POLLING_FILE_WATCHER";

    /// <summary>The inotify instances a session needs: dotnet watch's, the AppHost's and the services', with room to spare.</summary>
    public const int NeededInstances = 150;

    private const string LimitFile = "/proc/sys/fs/inotify/max_user_instances";

    /// <summary>
    /// Null when watching by events will work (or the user chose with <see cref="PollingVariable"/>); else why the
    /// session polls, as a line to show.
    /// </summary>
    public static string? ReasonToPoll()
    {
        if (Environment.GetEnvironmentVariable(PollingVariable) is { Length: > 0 } || !OperatingSystem.IsLinux() || !File.Exists(LimitFile))
        {
            return null;
        }

        if (!int.TryParse(File.ReadAllText(LimitFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
        {
            return null;
        }

        var free = limit - InstancesInUse();
        return free >= NeededInstances
            ? null
            : $"watching files by polling ({PollingVariable}=1): dotnet watch needs about {NeededInstances} inotify instances and " +
              $"{Math.Max(free, 0)} of this user's {limit} (fs.inotify.max_user_instances) are free; raise the limit " +
              "(sudo sysctl fs.inotify.max_user_instances=1024) to watch by events";
    }

    // The inotify instances the processes of this user hold: every open 'anon_inode:inotify' descriptor.
    private static int InstancesInUse()
    {
        var user = RealUserId("/proc/self/status");
        var count = 0;
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            try
            {
                if (RealUserId(Path.Combine(process, "status")) != user)
                {
                    continue;
                }

                count += Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd"))
                    .Count(fd => new FileInfo(fd).LinkTarget == "anon_inode:inotify");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone, or not this user's to read (so not counted against this user's limit).
            }
        }

        return count;
    }

    private static string? RealUserId(string statusFile) =>
        File.ReadLines(statusFile).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?
            .Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
}
