using System.Reflection;
using System.Text;

namespace MeshFlow.Cli.Init;

/// <summary>
/// The templates <c>meshflow init</c> knows, and their files. A template's files are the embedded resources under
/// <c>Templates/&lt;name&gt;/</c> and <c>Templates/shared/</c>; a file both have (the README) is the template's part
/// followed by the shared part. <c>{{input}}</c> in a file is replaced by the template's sample input, and
/// <c>gitignore</c> is written as <c>.gitignore</c>.
/// </summary>
internal static class ProjectTemplates
{
    /// <summary>The template used when <c>--template</c> is not given.</summary>
    public const string DefaultName = "legal";

    private const string Root = "Templates/";
    private const string SharedFolder = "shared";

    /// <summary>Every template, in the order help and errors list them.</summary>
    public static IReadOnlyList<ProjectTemplate> All { get; } =
    [
        new("legal", "contract drafting with a review loop, under a strict risk policy",
            "A mutual NDA for a software partnership"),
        new("research", "three researchers at once, then a synthesiser",
            "Should a mid-sized law firm adopt AI-assisted contract review?"),
        new("coding", "a planner, a coder and a reviewer loop",
            "Add a --json flag to the report command"),
    ];

    /// <summary>The names, as an error or help lists them: <c>legal, research, coding</c>.</summary>
    public static string Names => string.Join(", ", All.Select(t => t.Name));

    /// <summary>The template with this name (exactly as listed), or null.</summary>
    public static ProjectTemplate? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>The template's files, in path order.</summary>
    public static IReadOnlyList<ProjectFile> Files(ProjectTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var own = Resources(template.Name);
        if (own.Count == 0)
        {
            throw new InvalidOperationException($"the template '{template.Name}' has no files in this build of meshflow");
        }

        var shared = Resources(SharedFolder);
        return own.Keys.Union(shared.Keys, StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(path => new ProjectFile(ProjectPath(path), Fill(template, own.GetValueOrDefault(path) + shared.GetValueOrDefault(path))))
            .ToList();
    }

    // The templates' .gitignore is kept as 'gitignore', so that it does not act on this repository's own files.
    private static string ProjectPath(string path) => path == "gitignore" ? ".gitignore" : path;

    private static string Fill(ProjectTemplate template, string text) => text.Replace("{{input}}", template.SampleInput, StringComparison.Ordinal);

    // Resource names are the files' paths under Templates/ (the project file sets them); a build on Windows writes
    // its separators as '\'.
    private static Dictionary<string, string> Resources(string folder)
    {
        var assembly = typeof(ProjectTemplates).Assembly;
        var prefix = Root + folder + "/";
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var path = name.Replace('\\', '/');
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                files[path[prefix.Length..]] = Read(assembly, name);
            }
        }

        return files;
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the resource '{name}' is listed but cannot be opened");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
