using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Support;

/// <summary>A finished run with every event it produced, in order.</summary>
internal sealed record RunCapture(RunResult Result, IReadOnlyList<MeshEvent> Events)
{
    public static async Task<RunCapture> RunAsync(MeshFlowEngine engine, Workflow workflow, string input,
        RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        var run = engine.Start(workflow, input, options, cancellationToken);
        return await CollectAsync(run);
    }

    public static async Task<RunCapture> CollectAsync(WorkflowRun run)
    {
        var events = new List<MeshEvent>();
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        await foreach (var evt in run.ReadEventsAsync(timeout.Token))
        {
            events.Add(evt);
        }

        var result = await run.Completion.WaitAsync(TestTimeouts.Default);
        return new RunCapture(result, events);
    }

    public IEnumerable<T> Of<T>() where T : MeshEvent => Events.OfType<T>();
}
