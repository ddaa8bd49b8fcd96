namespace MeshFlow.LoadTest.Topology;

/// <summary>
/// The generator's own sockets complete on the runtime's socket thread instead of a thread-pool thread: a client
/// stream's read is stamped as soon as the data is there, and one hand-off fewer per token leaves more of the two
/// cores to the topology. The topology's services do not inherit the generator's setting through DCP: the api keeps
/// the runtime's default and the worker its own choice (it turns inline completions on for itself), unless
/// <c>--service-env</c> sets it for them.
/// </summary>
/// <remarks>
/// The runtime reads <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c> once, when the process's first asynchronous
/// socket operation starts, so <see cref="UseInlineCompletions"/> must run before any. The generator's code that such
/// completions run (reading events, answering as the stand-in model) never blocks.
/// </remarks>
internal static class GeneratorSockets
{
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>The setting the generator was started with (null: none), which the services get.</summary>
    public static string? Inherited { get; private set; }

    public static void UseInlineCompletions()
    {
        // Started with a setting of its own (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0, to compare): keep it.
        Inherited = Environment.GetEnvironmentVariable(InlineCompletions);
        if (Inherited is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
    }
}
