using MeshFlow.Execution;
using MeshFlow.Workflows;

namespace MeshFlow.Benchmarks;

/// <summary>
/// Memory held per in-flight run: 1,000 runs of a three-node workflow each parked mid-step (its second node
/// waits on a gate), with their events buffered unread. Retained heap after a full GC, divided by the runs.
/// </summary>
internal static class InFlightMemory
{
    public static async Task<double> MeasureAsync(int runs = 1_000)
    {
        var engine = new MeshFlowEngine();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var parked = 0;
        var allParked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var model = new ZeroLatencyChatClient(tokens: 8);
        var workflow = new WorkflowBuilder("parked").WithPolicy(Workflows.Standard)
            .AddNode(new AgentNode("first") { ChatClient = model })
            .AddNode(new FunctionNode("wait", async (_, ct) =>
            {
                if (Interlocked.Increment(ref parked) == runs)
                {
                    allParked.SetResult();
                }

                await gate.Task.WaitAsync(ct);
                return "released";
            }))
            .AddNode(new AgentNode("last") { ChatClient = model })
            .AddEdge("first", "wait").AddEdge("wait", "last")
            .Build();

        // Warm up so JIT and static state are not counted as per-run memory.
        await engine.RunAsync(Workflows.Chain(3), "warm");

        var before = Retained();
        var handles = new WorkflowRun[runs];
        for (var i = 0; i < runs; i++)
        {
            handles[i] = engine.Start(workflow, "a question of ordinary length for a contract review");
        }

        await allParked.Task.WaitAsync(TimeSpan.FromMinutes(1));
        var during = Retained();
        gate.SetResult();
        foreach (var handle in handles)
        {
            await foreach (var _ in handle.Events)
            {
            }

            await handle.Completion;
        }

        GC.KeepAlive(handles);
        return (during - before) / (double)runs;
    }

    private static long Retained()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
