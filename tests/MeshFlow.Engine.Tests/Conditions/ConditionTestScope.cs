using System.Text.Json;
using MeshFlow.Conditions;

namespace MeshFlow.Tests.Conditions;

/// <summary>A fixed scope for condition tests: an output, an iteration, other nodes' outputs and a JSON state object.</summary>
internal sealed class ConditionTestScope : IConditionScope
{
    private readonly Dictionary<string, string> _outputs;
    private readonly JsonElement _state;

    public ConditionTestScope(
        string output = "",
        int iteration = 1,
        string state = "{}",
        Dictionary<string, string>? outputs = null)
    {
        Output = output;
        Iteration = iteration;
        _state = JsonSerializer.Deserialize<JsonElement>(state);
        _outputs = outputs ?? [];
    }

    public string Output { get; }

    public int Iteration { get; }

    public bool TryGetOutput(string nodeId, out string output) => _outputs.TryGetValue(nodeId, out output!);

    public bool TryGetState(string key, out JsonElement value) => _state.TryGetProperty(key, out value);

    public static bool Evaluate(string condition, ConditionTestScope? scope = null) =>
        ConditionExpression.Parse(condition).Evaluate(scope ?? new ConditionTestScope());
}
