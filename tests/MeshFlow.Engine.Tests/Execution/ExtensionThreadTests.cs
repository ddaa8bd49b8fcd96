using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Execution;

/// <summary>
/// A model whose stream continues on a thread of its own (as a worker's sockets complete on the runtime's polling
/// thread) still has the extension code after it (tools, step checks, function nodes) start on the thread pool.
/// </summary>
public sealed class ExtensionThreadTests
{
    [Fact]
    public async Task Tools_checks_and_function_nodes_after_a_stream_on_a_thread_of_its_own_run_on_the_thread_pool()
    {
        var seen = new ConcurrentQueue<(string Where, bool OnPool)>();
        void Record(string where) => seen.Enqueue((where, Thread.CurrentThread.IsThreadPoolThread));
        var probe = AIFunctionFactory.Create(() =>
        {
            Record("tool");
            return "probed";
        }, "probe");
        var model = new DelegateChatClient((messages, _, ct) => Stream(messages, Record, ct));
        var workflow = new WorkflowBuilder("threads")
            .AddNode(new AgentNode("agent") { ChatClient = model, Tools = [probe] })
            .AddFunction("after", _ =>
            {
                Record("function node");
                return "done";
            })
            .AddEdge("agent", "after")
            .Build();
        var options = new MeshFlowEngineOptions();
        options.Checks.Add(new RecordingCheck(Record));

        var result = await new MeshFlowEngine(options).RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        var records = seen.ToList();
        // The premise: the model's stream did continue on threads that are not the pool's.
        Assert.Equal(2, records.Count(r => r is ("stream", false)));
        Assert.DoesNotContain(records, r => r.Where == "stream" && r.OnPool);
        Assert.Contains(records, r => r.Where == "tool");
        Assert.Contains(records, r => r.Where == "after check of agent");
        Assert.Contains(records, r => r.Where == "function node");
        Assert.All(records.Where(r => r.Where != "stream"), r => Assert.True(r.OnPool, $"{r.Where} ran off the thread pool"));
    }

    // First call: continue on a new thread, then ask for the tool. Second call: continue on a new thread, then answer.
    private static async IAsyncEnumerable<ChatResponseUpdate> Stream(IReadOnlyList<ChatMessage> messages, Action<string> record,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await new OwnThread();
        record("stream");
        cancellationToken.ThrowIfCancellationRequested();
        if (!messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Any())
        {
            yield return new ChatResponseUpdate { Role = ChatRole.Assistant, Contents = [new FunctionCallContent("call-1", "probe")] };
            yield break;
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, "answered");
    }

    // An awaitable that always resumes on a new thread that is not the pool's.
    private readonly struct OwnThread : ICriticalNotifyCompletion
    {
        public bool IsCompleted => false;

        public OwnThread GetAwaiter() => this;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        public void UnsafeOnCompleted(Action continuation) => new Thread(() => continuation()) { IsBackground = true }.Start();
    }

    private sealed class RecordingCheck(Action<string> record) : IStepCheck
    {
        public ValueTask<StepVerdict> BeforeStepAsync(StepCheckContext context, CancellationToken cancellationToken) => ValueTask.FromResult(StepVerdict.Commit);

        public ValueTask<StepVerdict> AfterStepAsync(StepCheckContext context, StepOutcome outcome, CancellationToken cancellationToken)
        {
            record($"after check of {context.NodeId}");
            return ValueTask.FromResult(StepVerdict.Commit);
        }
    }
}
