using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFlow.Governance;

namespace MeshFlow.Cli.Workflows;

/// <summary>
/// <c>--policy</c>: a preset's name (<c>dev</c>, <c>standard</c>, <c>strict</c>, <c>hipaa</c>) or a JSON/YAML file of
/// overrides (<c>{"mode": "strict", "max_steps": 20}</c>), as the JSON the API's <c>policy</c> field takes.
/// </summary>
internal static class PolicyArgument
{
    public static JsonElement? Read(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (File.Exists(value))
        {
            return ReadFile(value);
        }

        if (PolicyModes.All.Contains(value, StringComparer.Ordinal))
        {
            return JsonSerializer.SerializeToElement(value);
        }

        throw new CliException(
            $"--policy '{value}' is neither a preset ({string.Join(", ", PolicyModes.All)}) nor a file of policy fields (JSON or YAML)", CliExitCodes.Usage);
    }

    /// <summary>A policy (or any JSON or YAML) file as JSON.</summary>
    public static JsonElement ReadFile(string path)
    {
        var text = File.ReadAllText(path);
        var node = YamlJson.Convert(text, path);
        return node is null ? JsonSerializer.SerializeToElement<JsonNode?>(null) : JsonSerializer.SerializeToElement(node);
    }

    /// <summary>Reads the policy over the workflow's own, as a server reads a run's; every problem is one line.</summary>
    public static Policy Resolve(JsonElement element, Policy workflowPolicy, IReadOnlyCollection<string> knownTools, string source)
    {
        var read = PolicyJsonReader.Read(element, workflowPolicy, knownTools);
        return read.Policy ?? throw CliException.Many([.. read.Problems.Select(p => $"{source}: {p.Field}: {p.Message}")]);
    }
}
