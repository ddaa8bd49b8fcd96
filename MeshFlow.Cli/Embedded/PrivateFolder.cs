namespace MeshFlow.Cli.Embedded;

/// <summary>Embedded mode's data folder: it holds run inputs and outputs, the signing key and key hashes.</summary>
internal static class PrivateFolder
{
    /// <summary>Creates <paramref name="path"/> readable by its owner only (0700); an existing folder keeps its mode.</summary>
    public static void Ensure(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
