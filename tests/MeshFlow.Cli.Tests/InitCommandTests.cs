using System.Text.RegularExpressions;
using MeshFlow.Cli.Tests.Support;
using MeshFlow.Declarative;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Runs;

namespace MeshFlow.Cli.Tests;

public sealed partial class InitCommandTests
{
    private static readonly string[] ProjectFiles = ["workflow.yaml", "policy.yaml", ".env.example", ".gitignore", "README.md"];
    private static readonly string[] OwnFiles = ["notes.txt", "workflow.yaml"];

    public static TheoryData<string> Templates => ["legal", "research", "coding"];

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task A_new_project_has_a_workflow_that_validates_and_runs_to_completion_with_no_keys(string template)
    {
        using var temp = new TempDirectory();
        var folder = temp.File("project");

        var result = await InitAsync(["init", "--template", template, folder]);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var file in ProjectFiles)
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} is missing\n{result}");
            Assert.Contains(file, result.Output, StringComparison.Ordinal);
        }

        Assert.Contains("meshflow run workflow.yaml --input", result.Output, StringComparison.Ordinal);

        var validation = WorkflowYaml.Validate(await File.ReadAllTextAsync(Path.Combine(folder, "workflow.yaml"), TestContext.Current.CancellationToken));
        Assert.True(validation.IsValid, string.Join('\n', validation.Errors));

        var run = new MeshFlowEngine().Start(validation.Workflow!, "A mutual NDA for a software partnership", cancellationToken: TestContext.Current.CancellationToken);
        var end = await run.Completion.WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        Assert.True(end.Status == RunStatus.Completed, $"{end.Status}: {end.Error}");
        Assert.False(string.IsNullOrWhiteSpace(end.Output));
        // Every node ran: a review loop ended on its approval and what follows it ran too.
        Assert.Equal(validation.Workflow!.Nodes.Select(n => n.Id).Order(StringComparer.Ordinal), end.Outputs.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task The_policy_file_is_the_workflow_policy_a_preset_with_fields_overridden(string template)
    {
        using var temp = new TempDirectory();
        var result = await InitAsync(["init", "--template", template, temp.Path]);
        Assert.True(result.ExitCode == 0, result.ToString());

        var workflowPolicy = WorkflowYaml.LoadFile(temp.File("workflow.yaml")).Policy;
        // The file is a policy mapping on its own: read it where a workflow holds one.
        var policyText = await File.ReadAllTextAsync(temp.File("policy.yaml"), TestContext.Current.CancellationToken);
        var wrapped = "name: policy-file\npolicy:\n" + string.Join('\n', policyText.Split('\n').Select(line => "  " + line)) +
            "\nnodes:\n  - id: only\n    model: offline\n";
        var filePolicy = WorkflowYaml.Load(wrapped).Policy;

        Assert.Equal(Describe(workflowPolicy), Describe(filePolicy));
        Assert.True(PolicyFields.DifferingFromMode(filePolicy).Count >= 2,
            $"policy.yaml overrides only {string.Join(", ", PolicyFields.DifferingFromMode(filePolicy))} of mode {filePolicy.Mode}");
        Assert.Contains("\n# ", "\n" + policyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_env_example_names_every_setting_the_code_reads_and_nothing_else()
    {
        using var temp = new TempDirectory();
        var result = await InitAsync(["init", temp.Path]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var example = await File.ReadAllTextAsync(temp.File(".env.example"), TestContext.Current.CancellationToken);

        var read = new SortedSet<string>(StringComparer.Ordinal);
        var connections = new SortedSet<string>(StringComparer.Ordinal) { "llm" };
        foreach (var file in SourceFiles())
        {
            var code = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            read.UnionWith(SettingLiteral().Matches(code).Select(m => m.Groups["name"].Value));
            connections.UnionWith(ConnectionStringLiteral().Matches(code).Select(m => m.Groups["name"].Value));
        }

        Assert.Contains("MESHFLOW_DATA_DIR", read);
        var named = SettingLine().Matches(example).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var unnamed = read.Where(name => !named.Contains(name)).ToList();
        Assert.True(unnamed.Count == 0, $".env.example does not name {string.Join(", ", unnamed)}, which the code reads");
        var unread = named.Where(name => !read.Contains(name)).ToList();
        Assert.True(unread.Count == 0, $".env.example names {string.Join(", ", unread)}, which no code reads");
        foreach (var connection in connections)
        {
            Assert.Contains($"# ConnectionStrings__{connection}=", example, StringComparison.Ordinal);
        }

        Assert.Contains("# ConnectionStrings__llm-openai=", example, StringComparison.Ordinal);
        // Each setting has a comment saying what it is and its default.
        Assert.Equal(named.Count, DefaultComment().Count(example));
    }

    [Fact]
    public async Task A_folder_that_is_not_empty_is_refused_untouched_and_force_writes_into_it()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("workflow.yaml"), "mine", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(temp.File("notes.txt"), "keep me", TestContext.Current.CancellationToken);

        var refused = await InitAsync(["init", "--template", "research", temp.Path]);

        Assert.True(refused.ExitCode == 1, refused.ToString());
        var line = Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(temp.Path, line, StringComparison.Ordinal);
        Assert.Contains("--force", line, StringComparison.Ordinal);
        Assert.Equal(OwnFiles, Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("mine", await File.ReadAllTextAsync(temp.File("workflow.yaml"), TestContext.Current.CancellationToken));

        var forced = await InitAsync(["init", "--template", "research", temp.Path, "--force"]);

        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("name: research-brief", await File.ReadAllTextAsync(temp.File("workflow.yaml"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(temp.File("notes.txt"), TestContext.Current.CancellationToken));
        Assert.All(ProjectFiles, file => Assert.True(File.Exists(temp.File(file)), file));
    }

    [Fact]
    public async Task Without_a_folder_the_project_is_written_into_the_current_one()
    {
        using var temp = new TempDirectory();

        var result = await MeshFlowCli.RunAsync(["init", "--template", "coding"], workingDirectory: temp.Path,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.All(ProjectFiles, file => Assert.True(File.Exists(temp.File(file)), file));
        Assert.DoesNotContain("cd ", result.Output, StringComparison.Ordinal);
        Assert.Contains("name: code-change", await File.ReadAllTextAsync(temp.File("workflow.yaml"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_template_is_a_usage_error_that_lists_the_templates()
    {
        using var temp = new TempDirectory();
        var folder = temp.File("project");

        var result = await InitAsync(["init", "--template", "poetry", folder]);

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'poetry'", line, StringComparison.Ordinal);
        Assert.Contains("legal, research, coding", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    private static Task<CliResult> InitAsync(string[] args) =>
        MeshFlowCli.RunAsync(args, cancellationToken: TestContext.Current.CancellationToken);

    private static IEnumerable<(string Field, string Value)> Describe(Policy policy) =>
        [(PolicyFields.Mode, policy.Mode), .. PolicyFields.All.Select(field => (field.Name, field.Format(policy)))];

    // The C# of the services, the engine and the tools: the MeshFlow.* projects, without their build output.
    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateDirectories(MeshFlowCli.RepositoryRoot, "MeshFlow.*")
            .SelectMany(project => Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    [GeneratedRegex("\"(?<name>MESHFLOW_[A-Z_]+)\"")]
    private static partial Regex SettingLiteral();

    [GeneratedRegex("GetConnectionString\\(\"(?<name>[a-z-]+)\"\\)")]
    private static partial Regex ConnectionStringLiteral();

    [GeneratedRegex("^# (?<name>MESHFLOW_[A-Z_]+)=", RegexOptions.Multiline)]
    private static partial Regex SettingLine();

    // A comment line with the setting's default, then the setting itself on the next line.
    [GeneratedRegex("^# [^\\n]*Default: [^\\n]*\\n(?:# [^\\n]*\\n)?# MESHFLOW_[A-Z_]+=", RegexOptions.Multiline)]
    private static partial Regex DefaultComment();
}
