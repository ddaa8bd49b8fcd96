using System.Collections.Concurrent;
using MeshFlow.Workflows;

namespace MeshFlow.Declarative;

/// <summary>
/// Loaded workflows by their exact definition text, so that a definition sent with every run is parsed and validated
/// once per process rather than once per run (the API reads it from each request, a worker from each queued run).
/// Only valid definitions are kept, and only short ones; a full cache empties and fills again. A workflow is immutable,
/// so runs of any tenant share it.
/// </summary>
public sealed class WorkflowCache
{
    /// <summary>Definitions longer than this (characters) are validated each time, not kept.</summary>
    public const int MaxDefinitionLength = 64 * 1024;

    private readonly ConcurrentDictionary<string, WorkflowLoadResult> _loaded = new(StringComparer.Ordinal);
    private readonly WorkflowLoadOptions? _options;

    /// <summary>Creates a cache of at most <paramref name="capacity"/> workflows, loaded with <paramref name="options"/>.</summary>
    public WorkflowCache(int capacity = 256, WorkflowLoadOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _options = options;
    }

    /// <summary>How many workflows the cache holds at most.</summary>
    public int Capacity { get; }

    /// <summary>How many workflows it holds now.</summary>
    public int Count => _loaded.Count;

    /// <summary>Like <see cref="WorkflowYaml.Validate"/>: the workflow, or every problem with its line and column.</summary>
    public WorkflowLoadResult Validate(string definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (_loaded.TryGetValue(definition, out var known))
        {
            return known;
        }

        var result = WorkflowYaml.Validate(definition, _options);
        if (result.IsValid && definition.Length <= MaxDefinitionLength)
        {
            if (_loaded.Count >= Capacity)
            {
                _loaded.Clear();
            }

            _loaded.TryAdd(definition, result);
        }

        return result;
    }

    /// <summary>Like <see cref="WorkflowYaml.Load"/>: the workflow.</summary>
    /// <exception cref="WorkflowValidationException">The definition has problems; every one is listed.</exception>
    public Workflow Load(string definition)
    {
        var result = Validate(definition);
        return result.Workflow ?? throw new WorkflowValidationException(result.Errors);
    }
}
