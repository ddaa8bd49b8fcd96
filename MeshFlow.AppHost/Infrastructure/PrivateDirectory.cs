namespace MeshFlow.AppHost.Infrastructure;

/// <summary>Folders that hold passwords and server data: readable by their owner only (0700).</summary>
public static class PrivateDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates <paramref name="path"/> if needed and makes it 0700 either way. Missing parents get the default mode:
    /// the <c>postgres</c> user must be able to pass through them to its own folder.
    /// </summary>
    public static void Ensure(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } parent)
        {
            Directory.CreateDirectory(parent);
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, OwnerOnly);
        File.SetUnixFileMode(path, OwnerOnly);
    }
}
