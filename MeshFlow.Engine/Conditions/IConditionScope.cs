using System.Text.Json;

namespace MeshFlow.Conditions;

/// <summary>
/// What a condition can see when it is evaluated: the output of the edge's source node, the iteration,
/// the outputs of other nodes and the run's state. Nothing else is reachable from an expression.
/// </summary>
public interface IConditionScope
{
    /// <summary>The output of the node the edge leaves.</summary>
    string Output { get; }

    /// <summary>
    /// The iteration: on a loop edge, the pass of the loop that just finished (1-based); on a forward edge,
    /// how many times the source node has run in this run (1-based).
    /// </summary>
    int Iteration { get; }

    /// <summary>Looks up the latest output of another node by id (<c>outputs.writer</c>, <c>outputs['fact-check']</c>).</summary>
    bool TryGetOutput(string nodeId, out string output);

    /// <summary>Looks up a top-level value of the run's typed state (<c>state.score</c>).</summary>
    bool TryGetState(string key, out JsonElement value);
}
