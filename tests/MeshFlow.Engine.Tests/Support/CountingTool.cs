using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Support;

/// <summary>A tool whose body counts how often it was entered: a refused call must leave it at zero.</summary>
internal sealed class CountingTool
{
    private int _calls;

    public CountingTool(string name, AIFunctionFactoryOptions? options = null)
    {
        Function = AIFunctionFactory.Create((string? command = null, string? input = null) =>
        {
            Interlocked.Increment(ref _calls);
            return $"ran {name}";
        }, options ?? new AIFunctionFactoryOptions { Name = name });
    }

    public AIFunction Function { get; }

    public int Calls => Volatile.Read(ref _calls);
}
