namespace MeshFlow.LocalServers;

/// <summary>Finds executables on <c>PATH</c>, the way a shell would.</summary>
public static class ExecutableSearch
{
    // runuser and friends live in the sbin folders, which a non-login root shell may not have on PATH.
    private static readonly string[] SbinFolders = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

    /// <summary>
    /// The full path of <paramref name="name"/> in the folders of <paramref name="searchPath"/> (this process's
    /// <c>PATH</c> when null), then the sbin folders root uses; null when none holds it.
    /// </summary>
    public static string? FindOnPath(string name, string? searchPath = null)
    {
        var path = searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(SbinFolders)
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
