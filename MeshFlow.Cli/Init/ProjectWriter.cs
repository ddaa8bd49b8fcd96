using System.Text;

namespace MeshFlow.Cli.Init;

/// <summary>Writes a new project's files into its folder, refusing a folder that already holds something unless forced.</summary>
internal static class ProjectWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Creates <paramref name="directory"/> when it does not exist and writes <paramref name="files"/> into it. A folder
    /// with anything in it is refused before a single file is written, unless <paramref name="force"/>: then the
    /// project's files replace files of the same name, and everything else in the folder is left alone.
    /// </summary>
    /// <exception cref="CliException">The folder is not empty (and not forced), or is a file.</exception>
    public static void Write(string directory, IReadOnlyList<ProjectFile> files, bool force)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(files);
        if (File.Exists(directory))
        {
            throw new CliException($"{directory} is a file: name a new or empty folder for the project");
        }

        if (!force && Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new CliException(
                $"{directory} is not empty: name a new or empty folder, or pass --force to write the project there (its files replace any of the same name)");
        }

        Directory.CreateDirectory(directory);
        foreach (var file in files)
        {
            var path = Path.Combine(directory, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content, Utf8);
        }
    }
}
