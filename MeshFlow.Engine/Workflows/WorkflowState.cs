using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeshFlow.Workflows;

/// <summary>
/// A run's typed state, shared by its nodes: values are stored as JSON, so the whole state serializes (and later
/// checkpoints) exactly. Conditions read top-level values as <c>state.key</c>. Safe for concurrent branches.
/// </summary>
[JsonConverter(typeof(WorkflowStateJsonConverter))]
public sealed class WorkflowState
{
    private readonly ConcurrentDictionary<string, JsonElement> _values = new(StringComparer.Ordinal);

    /// <summary>The values, by key.</summary>
    public IReadOnlyDictionary<string, JsonElement> Values => _values;

    /// <summary>Stores a value under a key, replacing what was there.</summary>
    public void Set<T>(string key, T value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        _values[key] = JsonSerializer.SerializeToElement(value);
    }

    /// <summary>Reads a value as <typeparamref name="T"/>, or false when the key is absent.</summary>
    public bool TryGet<T>(string key, out T? value)
    {
        if (_values.TryGetValue(key, out var element))
        {
            value = element.Deserialize<T>();
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Reads a value as <typeparamref name="T"/>, or the default when the key is absent.</summary>
    public T? Get<T>(string key) => TryGet<T>(key, out var value) ? value : default;

    /// <summary>Reads a value's JSON.</summary>
    public bool TryGetElement(string key, out JsonElement value) => _values.TryGetValue(key, out value);

    internal void SetElement(string key, JsonElement value) => _values[key] = value;
}
