using YamlDotNet.RepresentationModel;

namespace MeshFlow.Declarative;

/// <summary>The fields of one YAML mapping, by name, with the path of the mapping in the definition.</summary>
internal sealed class YamlFields
{
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _byName = new(StringComparer.Ordinal);
    private readonly List<(YamlScalarNode Key, YamlNode Value)> _entries = [];

    public YamlFields(YamlMappingNode mapping, string path)
    {
        Mapping = mapping;
        Path = path;
    }

    /// <summary>The mapping.</summary>
    public YamlMappingNode Mapping { get; }

    /// <summary>The mapping's path, such as <c>nodes[2]</c>; empty for the document's root.</summary>
    public string Path { get; }

    /// <summary>The fields, in document order.</summary>
    public IReadOnlyList<(YamlScalarNode Key, YamlNode Value)> Entries => _entries;

    /// <summary>A field's value, or null when the field is absent.</summary>
    public YamlNode? this[string name] => _byName.TryGetValue(name, out var entry) ? entry.Value : null;

    public void Add(YamlScalarNode key, YamlNode value)
    {
        _entries.Add((key, value));
        _byName.TryAdd(key.Value ?? string.Empty, (key, value));
    }

    /// <summary>True when the field is present, whatever its value.</summary>
    public bool Has(string name) => _byName.ContainsKey(name);

    /// <summary>The field's key node, when present.</summary>
    public YamlScalarNode? KeyOf(string name) => _byName.TryGetValue(name, out var entry) ? entry.Key : null;

    /// <summary>The path of one of the fields, such as <c>nodes[2].id</c>.</summary>
    public string PathOf(string name) => Path.Length == 0 ? name : $"{Path}.{name}";
}
