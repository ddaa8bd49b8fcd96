using MeshFlow.Workflows;

namespace MeshFlow.Declarative;

/// <summary>
/// Loads workflows from their declarative definition, written in YAML or, since YAML is a superset of JSON, in
/// JSON. Every problem is reported at once, each with the line and column it is at.
/// </summary>
/// <example>
/// <code>
/// var workflow = WorkflowYaml.Load("""
///     name: review
///     policy: standard
///     nodes:
///       - id: writer
///         instructions: Draft the clause.
///       - id: critic
///         model: scripted
///         responses: [REVISE, APPROVED]
///     edges:
///       - from: writer
///         to: critic
///       - from: critic
///         to: writer
///         loop: true
///         when: "!contains(output, 'APPROVED')"
///         max_iterations: 3
///     """);
/// </code>
/// </example>
public static class WorkflowYaml
{
    /// <summary>
    /// How deeply lists and mappings may nest in a definition. A real workflow stays under ten levels (an input schema
    /// adds a few); a definition that goes deeper is refused at the collection that crosses the bound, before the rest
    /// is read, so hostile input (a file of <c>[</c>) costs no more than this many levels to reject.
    /// </summary>
    public const int MaxNestingDepth = 64;

    private static readonly WorkflowLoadOptions DefaultOptions = new();

    /// <summary>Loads a workflow from its definition.</summary>
    /// <param name="text">The definition, as YAML or JSON.</param>
    /// <param name="options">Tools the definition may name; null for none checked.</param>
    /// <returns>The validated workflow.</returns>
    /// <exception cref="WorkflowValidationException">
    /// The definition has problems: every one is listed, sorted by position, each with its line and column.
    /// </exception>
    public static Workflow Load(string text, WorkflowLoadOptions? options = null)
    {
        var result = Validate(text, options);
        return result.Workflow ?? throw new WorkflowValidationException(result.Errors);
    }

    /// <summary>Loads a workflow from a definition file.</summary>
    /// <param name="path">The file, YAML or JSON, read as UTF-8.</param>
    /// <param name="options">Tools the definition may name; null for none checked.</param>
    /// <returns>The validated workflow.</returns>
    /// <exception cref="WorkflowValidationException">The definition has problems; every one is listed.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Workflow LoadFile(string path, WorkflowLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Load(File.ReadAllText(path), options);
    }

    /// <summary>Checks a definition without throwing, returning the workflow or every problem found.</summary>
    /// <param name="text">The definition, as YAML or JSON.</param>
    /// <param name="options">Tools the definition may name; null for none checked.</param>
    /// <returns>The workflow when the definition is valid, else the problems sorted by line and column.</returns>
    public static WorkflowLoadResult Validate(string text, WorkflowLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return WorkflowDefinitionReader.Read(text, options ?? DefaultOptions);
    }
}
