namespace MeshFlow.Execution;

/// <summary>
/// Code a host plugs into the engine (tools, function nodes, step checks) starts on a thread-pool thread, never on a
/// thread of its own that a continuation happened to run on.
/// </summary>
/// <remarks>
/// A MeshFlow worker has its sockets complete on the runtime's socket-polling thread, so a model's streamed chunk
/// reaches the engine on that thread. Code that blocks there, a tool doing slow synchronous work or waiting on a
/// socket of its own, would stall every stream of the worker, or deadlock waiting for a completion only that thread
/// can deliver. The engine's own code never blocks; before handing control to extension code it moves to the thread
/// pool when it is not already on it (one queued continuation; none otherwise).
/// </remarks>
internal static class ExtensionThread
{
    /// <summary>Continues on a thread-pool thread: at once when already on one, otherwise after a hop.</summary>
    public static async ValueTask EnterAsync()
    {
        if (!Thread.CurrentThread.IsThreadPoolThread)
        {
            await Task.Yield();
        }
    }
}
