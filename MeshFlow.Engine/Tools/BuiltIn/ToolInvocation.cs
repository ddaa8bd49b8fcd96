using Microsoft.Extensions.AI;

namespace MeshFlow.Tools.BuiltIn;

/// <summary>
/// Who a tool call is made for: the tenant, run, node and step. The engine puts it in
/// <see cref="AIFunctionArguments.Context"/> under <see cref="ContextKey"/> for every call it makes; built-in tools read
/// it to find the run's workspace.
/// </summary>
/// <param name="TenantId">The tenant the run belongs to.</param>
/// <param name="RunId">The run.</param>
/// <param name="NodeId">The node making the call, when one does.</param>
/// <param name="StepId">The step making the call, when one does.</param>
public sealed record ToolInvocation(string TenantId, string RunId, string? NodeId = null, string? StepId = null)
{
    /// <summary>The <see cref="AIFunctionArguments.Context"/> key the invocation is kept under.</summary>
    public const string ContextKey = "meshflow.tool_invocation";

    /// <summary>The invocation of a call made outside a run (a tool invoked directly from code).</summary>
    public static ToolInvocation Direct { get; } = new("default", "direct");

    /// <summary>The invocation <paramref name="arguments"/> carry, or <see cref="Direct"/>.</summary>
    public static ToolInvocation From(AIFunctionArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return arguments.Context is { } context && context.TryGetValue(ContextKey, out var value) && value is ToolInvocation invocation
            ? invocation
            : Direct;
    }

    /// <summary>Puts this invocation into <paramref name="arguments"/>.</summary>
    public void AttachTo(AIFunctionArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        arguments.Context ??= new Dictionary<object, object?>();
        arguments.Context[ContextKey] = this;
    }
}
