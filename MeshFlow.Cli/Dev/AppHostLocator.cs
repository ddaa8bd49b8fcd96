namespace MeshFlow.Cli.Dev;

/// <summary>
/// Finds the AppHost project <c>meshflow dev</c> runs: the one <c>--apphost</c> names (the project file or its
/// folder), else <c>MeshFlow.AppHost/MeshFlow.AppHost.csproj</c> in the current folder or one of its parents.
/// </summary>
internal static class AppHostLocator
{
    /// <summary>MeshFlow's AppHost project, by its name.</summary>
    public const string ProjectName = "MeshFlow.AppHost";

    private const string ProjectFile = ProjectName + ".csproj";
    private const string HowToPass = "pass --apphost <path to MeshFlow.AppHost.csproj or its folder>";

    /// <summary>The AppHost's project file, as a full path.</summary>
    /// <exception cref="CliException">There is none where it was looked for, or the given file is no AppHost project.</exception>
    public static string Find(string? given, string currentDirectory)
    {
        if (given is { Length: > 0 })
        {
            var path = Path.GetFullPath(given, currentDirectory);
            if (File.Exists(path))
            {
                return RequireAppHost(path);
            }

            if (Directory.Exists(path))
            {
                return InFolder(path) ?? throw new CliException($"{path} holds no AppHost project: {HowToPass}");
            }

            throw new CliException($"{path} does not exist: {HowToPass}");
        }

        for (var folder = new DirectoryInfo(currentDirectory); folder is not null; folder = folder.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(folder.FullName, ProjectName, ProjectFile), Path.Combine(folder.FullName, ProjectFile) })
            {
                if (File.Exists(candidate))
                {
                    return RequireAppHost(candidate);
                }
            }
        }

        throw new CliException($"found no {ProjectName} in {currentDirectory} or its parents: run meshflow dev in a MeshFlow checkout, or {HowToPass}");
    }

    // MeshFlow's AppHost by its name, in the folder or below it (the repository's root); else the folder's one
    // AppHost project of any name.
    private static string? InFolder(string folder)
    {
        foreach (var candidate in new[] { Path.Combine(folder, ProjectFile), Path.Combine(folder, ProjectName, ProjectFile) })
        {
            if (File.Exists(candidate))
            {
                return RequireAppHost(candidate);
            }
        }

        var appHosts = Directory.EnumerateFiles(folder, "*.csproj").Where(IsAppHost).ToList();
        return appHosts.Count == 1 ? appHosts[0] : null;
    }

    private static string RequireAppHost(string path)
    {
        if (!path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"{path} is not a project file (.csproj): {HowToPass}");
        }

        return IsAppHost(path) ? path : throw new CliException($"{path} is not an Aspire AppHost project (it does not use Aspire.AppHost.Sdk): {HowToPass}");
    }

    private static bool IsAppHost(string projectFile)
    {
        var text = File.ReadAllText(projectFile);
        return text.Contains("Aspire.AppHost.Sdk", StringComparison.OrdinalIgnoreCase)
            || text.Contains("<IsAspireHost>true</IsAspireHost>", StringComparison.OrdinalIgnoreCase);
    }
}
