namespace MeshFlow.Workflows;

/// <summary>A node that runs .NET code. Its returned text is the step's output.</summary>
public sealed class FunctionNode : WorkflowNode
{
    /// <summary>Creates a node from an asynchronous function.</summary>
    public FunctionNode(string id, Func<NodeContext, CancellationToken, ValueTask<string>> function)
        : base(id)
    {
        ArgumentNullException.ThrowIfNull(function);
        Function = function;
    }

    /// <summary>Creates a node from a synchronous function.</summary>
    public FunctionNode(string id, Func<NodeContext, string> function)
        : this(id, (context, _) => ValueTask.FromResult(function(context)))
    {
    }

    /// <inheritdoc />
    public override NodeKind Kind => NodeKind.Function;

    /// <summary>The code the node runs.</summary>
    public Func<NodeContext, CancellationToken, ValueTask<string>> Function { get; }
}
