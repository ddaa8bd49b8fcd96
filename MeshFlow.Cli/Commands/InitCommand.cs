using System.CommandLine;
using MeshFlow.Cli.Init;

namespace MeshFlow.Cli.Commands;

/// <summary><c>meshflow init [--template legal|research|coding] [dir] [--force]</c>: a new project from a template.</summary>
internal static class InitCommand
{
    // What each file is, in the order they are listed.
    private static readonly (string Path, string About)[] Descriptions =
    [
        ("workflow.yaml", "the workflow; runs with no keys (offline and scripted agents)"),
        ("policy.yaml", "its policy: a preset and the fields it overrides"),
        (".env.example", "every setting MeshFlow reads, with its default"),
        (".gitignore", "keeps .env and the local ledger (.meshflow/) out of version control"),
        ("README.md", "what the project is and how to run it"),
    ];

    public static Command Create(GlobalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var template = new Option<string>("--template", "-t")
        {
            Description = $"What the project does: {string.Join("; ", ProjectTemplates.All.Select(t => $"{t.Name}: {t.Summary}"))}",
            DefaultValueFactory = _ => ProjectTemplates.DefaultName,
            HelpName = string.Join('|', ProjectTemplates.All.Select(t => t.Name)),
        };
        var directory = new Argument<string?>("dir")
        {
            Description = "The project's folder, created if missing (default: the current folder)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var force = new Option<bool>("--force")
        {
            Description = "Write into a folder that is not empty (the project's files replace any of the same name)",
        };

        var command = new Command("init", "Create a project: an example workflow that runs with no keys, its policy, every setting, and a README")
        {
            template, directory, force,
        };
        command.SetAction((parse, _) =>
        {
            var name = parse.GetValue(template)!;
            var chosen = ProjectTemplates.Find(name)
                ?? throw new CliException($"unknown template '{name}': choose one of {ProjectTemplates.Names}", CliExitCodes.Usage);
            var target = Path.GetFullPath(parse.GetValue(directory) is { Length: > 0 } given ? given : ".");
            var files = ProjectTemplates.Files(chosen);
            ProjectWriter.Write(target, files, parse.GetValue(force));
            Report(parse.InvocationConfiguration.Output, chosen, target, files);
            return Task.FromResult(CliExitCodes.Success);
        });
        return command;
    }

    private static void Report(TextWriter output, ProjectTemplate template, string target, IReadOnlyList<ProjectFile> files)
    {
        output.WriteLine($"Created a {template.Name} project ({template.Summary}) in {target}:");
        var width = files.Max(f => f.Path.Length) + 2;
        foreach (var file in files.OrderBy(f => Array.FindIndex(Descriptions, d => d.Path == f.Path) is var i and >= 0 ? i : int.MaxValue))
        {
            var about = Descriptions.FirstOrDefault(d => d.Path == file.Path).About;
            output.WriteLine($"  {file.Path.PadRight(width)}{about}".TrimEnd());
        }

        output.WriteLine();
        output.WriteLine("Next:");
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), target);
        if (relative != ".")
        {
            // A folder below this one by its short path; any other by its full one.
            output.WriteLine($"  cd {Quote(relative.StartsWith("..", StringComparison.Ordinal) ? target : relative)}");
        }

        output.WriteLine($"  meshflow run workflow.yaml --input {Quote(template.SampleInput)}");
    }

    // Quoted for a POSIX shell when it holds anything a shell would split or expand.
    private static string Quote(string text) =>
        text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '/' or '-' or '_') ? text : $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
