using MeshFlow.Tests.Support;
using MeshFlow.Tools.BuiltIn;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Tools.Utility;

/// <summary>Calls a built-in tool directly, as the engine would, for one tenant and run.</summary>
internal static class BuiltInToolCalls
{
    public static async Task<string> CallAsync(this BuiltInTool tool, IReadOnlyDictionary<string, object?> arguments, ToolInvocation? invocation = null)
    {
        var functionArguments = new AIFunctionArguments(arguments.ToDictionary());
        (invocation ?? ToolInvocation.Direct).AttachTo(functionArguments);
        var result = await tool.InvokeAsync(functionArguments, TestContext.Current.CancellationToken).AsTask().WaitAsync(TestTimeouts.Default);
        return Assert.IsType<string>(result);
    }

    public static async Task<string> RefusedAsync(this BuiltInTool tool, IReadOnlyDictionary<string, object?> arguments, ToolInvocation? invocation = null)
    {
        var exception = await Assert.ThrowsAsync<BuiltInToolException>(() => tool.CallAsync(arguments, invocation));
        Assert.DoesNotContain('\n', exception.Message);
        return exception.Message;
    }
}
