namespace MeshFlow.AppHost.Infrastructure.Processes;

/// <summary>Finds executables on <c>PATH</c>, the way a shell would.</summary>
public static class ExecutableSearch
{
    /// <summary>The full path of <paramref name="name"/> on <c>PATH</c> (plus the sbin folders root uses), or null.</summary>
    public static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        IEnumerable<string> folders = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

        // runuser lives in /usr/sbin, which a non-login root shell may not have on PATH.
        folders = folders.Concat(["/usr/local/sbin", "/usr/sbin", "/sbin"]);

        return folders
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(IsExecutableFile);
    }

    /// <summary>True when <paramref name="path"/> is an existing file with an execute bit.</summary>
    public static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & AnyExecute) != 0;
    }
}
