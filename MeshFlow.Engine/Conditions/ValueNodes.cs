using System.Text.Json;

namespace MeshFlow.Conditions;

/// <summary>A literal: a string, a number, <c>true</c>, <c>false</c> or <c>null</c>.</summary>
internal sealed class ConditionLiteralNode : ConditionNode
{
    private readonly ConditionValue _value;

    public ConditionLiteralNode(ConditionValue value, int position)
        : base(position)
    {
        _value = value;
    }

    public ConditionValue Value => _value;

    public override ConditionValue Evaluate(IConditionScope scope) => _value;
}

/// <summary><c>output</c>: the output of the node the edge leaves.</summary>
internal sealed class ConditionOutputNode : ConditionNode
{
    public ConditionOutputNode(int position)
        : base(position)
    {
    }

    public override ConditionValue Evaluate(IConditionScope scope) => ConditionValue.FromText(scope.Output);
}

/// <summary><c>iteration</c>: the 1-based pass or run count.</summary>
internal sealed class ConditionIterationNode : ConditionNode
{
    public ConditionIterationNode(int position)
        : base(position)
    {
    }

    public override ConditionValue Evaluate(IConditionScope scope) => ConditionValue.FromNumber(scope.Iteration);
}

/// <summary><c>outputs.writer</c> or <c>outputs['fact-check']</c>: another node's latest output, or null.</summary>
internal sealed class ConditionOtherOutputNode : ConditionNode
{
    private readonly string _nodeId;

    public ConditionOtherOutputNode(string nodeId, int position)
        : base(position)
    {
        _nodeId = nodeId;
    }

    public override ConditionValue Evaluate(IConditionScope scope) =>
        scope.TryGetOutput(_nodeId, out var output) ? ConditionValue.FromText(output) : ConditionValue.Null;
}

/// <summary>
/// <c>state.score</c>, <c>state['key']</c> or <c>state.review.verdict</c>: a value of the run's state, following
/// object properties after the first key. Anything missing is null.
/// </summary>
internal sealed class ConditionStateNode : ConditionNode
{
    private readonly string[] _path;

    public ConditionStateNode(string[] path, int position)
        : base(position)
    {
        _path = path;
    }

    public override ConditionValue Evaluate(IConditionScope scope)
    {
        if (!scope.TryGetState(_path[0], out var element))
        {
            return ConditionValue.Null;
        }

        for (var i = 1; i < _path.Length; i++)
        {
            if (element.ValueKind != JsonValueKind.Object
                || !element.TryGetProperty(_path[i], out element))
            {
                return ConditionValue.Null;
            }
        }

        return ConditionValue.FromJson(element);
    }
}
