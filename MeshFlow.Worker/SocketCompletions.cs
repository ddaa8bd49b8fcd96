namespace MeshFlow.Worker;

/// <summary>
/// The worker's sockets complete on the runtime's socket-polling thread rather than a thread-pool thread, so a model's
/// streamed chunk becomes a token event in Redis without a hand-off and its wake-up (docs/performance.md, "Streaming").
/// </summary>
/// <remarks>
/// <para>
/// The runtime reads <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c> once, when the process's first asynchronous
/// socket operation starts, so <see cref="Configure"/> runs first thing. A value set from outside (<c>0</c> to
/// compare) is kept; unset or empty turns it on.
/// </para>
/// <para>
/// What such completions run must never block on another socket: the polling thread is the one that would complete
/// it. The worker's socket continuations (the model's HTTP stream, Npgsql, the Redis publisher) are asynchronous
/// throughout or write without waiting for a reply; StackExchange.Redis reads on threads of its own.
/// </para>
/// </remarks>
internal static class SocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Configure()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
