using System.Diagnostics.CodeAnalysis;
using MeshFlow.Declarative;

namespace MeshFlow.Api.Runs;

/// <summary>
/// The workflows a run can name instead of sending a definition: every <c>*.yaml</c>/<c>*.yml</c> file in
/// <c>MESHFLOW_WORKFLOWS_DIR</c>, by its <c>name</c>. Files are validated at start-up; an invalid one stops the API
/// with its problems (line and column), rather than failing the first run that names it.
/// </summary>
public sealed class WorkflowRegistry
{
    /// <summary>The configuration key of the folder of registered workflows.</summary>
    public const string DirectoryKey = "MESHFLOW_WORKFLOWS_DIR";

    private readonly Dictionary<string, string> _definitions = new(StringComparer.Ordinal);

    /// <summary>Loads the registry from the configured folder (none configured: an empty registry).</summary>
    public WorkflowRegistry(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[DirectoryKey] is not { Length: > 0 } directory)
        {
            return;
        }

        if (!Directory.Exists(directory))
        {
            throw new InvalidOperationException($"{DirectoryKey} names '{directory}', which is not a folder");
        }

        foreach (var path in Directory.EnumerateFiles(directory).Where(p => p.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(path);
            var result = WorkflowYaml.Validate(text);
            if (!result.IsValid)
            {
                throw new InvalidOperationException($"the registered workflow '{path}' is invalid: {string.Join("; ", result.Errors)}");
            }

            if (!_definitions.TryAdd(result.Workflow!.Name, text))
            {
                throw new InvalidOperationException($"two registered workflows are named '{result.Workflow.Name}' (the second is '{path}')");
            }
        }
    }

    /// <summary>The registered names, in order.</summary>
    public IReadOnlyList<string> Names => [.. _definitions.Keys.Order(StringComparer.Ordinal)];

    /// <summary>A registered workflow's definition by name.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out string? definition) => _definitions.TryGetValue(name, out definition);
}
