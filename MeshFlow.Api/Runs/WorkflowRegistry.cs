using System.Diagnostics.CodeAnalysis;
using MeshFlow.Declarative;
using MeshFlow.ServiceDefaults.Startup;

namespace MeshFlow.Api.Runs;

/// <summary>
/// The workflows a run can name instead of sending a definition: every <c>*.yaml</c>/<c>*.yml</c> file in
/// <c>MESHFLOW_WORKFLOWS_DIR</c>, by its <c>name</c>; with that unset, the example workflows that
/// ship with the API (its <c>workflows/</c> folder). Files are validated at start-up; an invalid one stops the API
/// with its problems (line and column), rather than failing the first run that names it.
/// </summary>
/// <remarks>
/// Whether a workflow's models can be called here (a connection it names may not be configured) is not checked at
/// start-up: that is a property of the deployment, not of the file, so such a workflow is listed and a run naming it
/// is refused with the missing connection.
/// </remarks>
public sealed class WorkflowRegistry
{
    /// <summary>The configuration key of the folder of registered workflows.</summary>
    public const string DirectoryKey = "MESHFLOW_WORKFLOWS_DIR";

    /// <summary>The folder beside the API's assembly that holds the example workflows it ships with.</summary>
    public const string ExamplesFolder = "workflows";

    /// <summary>The <see cref="RegisteredWorkflow.Source"/> of the shipped examples.</summary>
    public const string ExamplesSource = "examples";

    private readonly Dictionary<string, RegisteredWorkflow> _workflows = new(StringComparer.Ordinal);

    /// <summary>Loads the registry from the configured folder, else from the shipped examples (none shipped: empty).</summary>
    public WorkflowRegistry(IConfiguration configuration)
        : this(configuration, Path.Combine(AppContext.BaseDirectory, ExamplesFolder))
    {
    }

    /// <summary>Loads the registry from the configured folder, else from <paramref name="examplesDirectory"/> when it exists.</summary>
    public WorkflowRegistry(IConfiguration configuration, string examplesDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(examplesDirectory);
        string source;
        string directory;
        if (configuration[DirectoryKey] is { Length: > 0 } configured)
        {
            if (!Directory.Exists(configured))
            {
                throw new MeshFlowConfigurationException($"{DirectoryKey} names '{configured}', which is not a folder; set it to a folder of workflow YAML files, or unset it to serve the examples.");
            }

            (source, directory) = (DirectoryKey, configured);
        }
        else if (Directory.Exists(examplesDirectory))
        {
            (source, directory) = (ExamplesSource, examplesDirectory);
        }
        else
        {
            return;
        }

        var folder = Folder = Path.GetFullPath(directory);
        var where = source == DirectoryKey ? $"{DirectoryKey} ({folder})" : $"the example workflows ({folder})";
        foreach (var path in YamlFiles(folder))
        {
            var text = File.ReadAllText(path);
            var file = Path.GetFileName(path);
            var result = WorkflowYaml.Validate(text);
            if (!result.IsValid)
            {
                throw new MeshFlowConfigurationException($"{where}: the workflow '{file}' is invalid: {string.Join("; ", result.Errors)}");
            }

            var workflow = new RegisteredWorkflow(result.Workflow!, text, result.Description ?? WorkflowComment.FirstSentence(text), source, file);
            if (!_workflows.TryAdd(workflow.Name, workflow))
            {
                throw new MeshFlowConfigurationException(
                    $"{where}: two workflows are named '{workflow.Name}' ('{_workflows[workflow.Name].File}' and '{file}'); names must be unique.");
            }
        }
    }

    /// <summary>The folder the workflows were read from; null when there is none.</summary>
    public string? Folder { get; }

    /// <summary>The registered names, in order.</summary>
    public IReadOnlyList<string> Names => [.. _workflows.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The registered workflows, by name.</summary>
    public IReadOnlyList<RegisteredWorkflow> Workflows => [.. _workflows.Values.OrderBy(w => w.Name, StringComparer.Ordinal)];

    /// <summary>A registered workflow's definition by name.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out string? definition)
    {
        definition = _workflows.TryGetValue(name, out var workflow) ? workflow.Definition : null;
        return definition is not null;
    }

    private static IEnumerable<string> YamlFiles(string directory) =>
        Directory.EnumerateFiles(directory)
            .Where(p => p.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
}
