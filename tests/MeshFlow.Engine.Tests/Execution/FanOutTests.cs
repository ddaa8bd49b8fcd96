using System.Runtime.CompilerServices;
using MeshFlow.Execution;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Execution;

public sealed class FanOutTests
{
    [Fact]
    public async Task Fan_out_branches_are_all_in_flight_at_once()
    {
        const int Branches = 8;
        var inFlight = 0;
        var maxInFlight = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async IAsyncEnumerable<ChatResponseUpdate> Branch([EnumeratorCancellation] CancellationToken ct)
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            if (now == Branches)
            {
                allStarted.TrySetResult();
            }

            // No branch finishes until every branch has started: sequential execution would time out here.
            await allStarted.Task.WaitAsync(TestTimeouts.Default, ct);
            Interlocked.Decrement(ref inFlight);
            yield return new ChatResponseUpdate(ChatRole.Assistant, "done");
        }

        var builder = new WorkflowBuilder("fan").AddNode(new RouterNode("start"));
        for (var i = 0; i < Branches; i++)
        {
            builder.AddNode(new AgentNode($"b{i}") { ChatClient = new DelegateChatClient((_, _, ct) => Branch(ct)) })
                .AddEdge("start", $"b{i}");
        }

        var result = await new MeshFlowEngine().RunAsync(builder.Build(), "go").WaitAsync(TestTimeouts.Default);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(Branches, maxInFlight);
    }

    [Fact]
    public async Task Fan_in_merges_branch_outputs_in_declaration_order_whatever_order_they_finish_in()
    {
        // Branch i may only finish after branch i+1 has: they finish in reverse declaration order.
        const int Branches = 5;
        var finished = Enumerable.Range(0, Branches + 1).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        finished[Branches].SetResult();
        var order = new List<string>();
        var builder = new WorkflowBuilder("join").AddNode(new RouterNode("start"));
        var ids = new List<string>();
        for (var i = 0; i < Branches; i++)
        {
            var index = i;
            var id = $"b{i}";
            ids.Add(id);
            builder.AddNode(new FunctionNode(id, async (ctx, ct) =>
            {
                await finished[index + 1].Task.WaitAsync(TestTimeouts.Default, ct);
                lock (order)
                {
                    order.Add(ctx.NodeId);
                }

                finished[index].SetResult();
                return $"out{index}";
            })).AddEdge("start", id);
        }

        var merged = new List<string>();
        builder.AddNode(new FunctionNode("join", ctx =>
        {
            merged.AddRange(ctx.Inputs.Select(input => $"{input.NodeId}={input.Output}"));
            return ctx.InputText;
        })).AddFanIn(ids, "join");

        var result = await new MeshFlowEngine().RunAsync(builder.Build(), "go").WaitAsync(TestTimeouts.Default);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(["b4", "b3", "b2", "b1", "b0"], order);
        Assert.Equal(["b0=out0", "b1=out1", "b2=out2", "b3=out3", "b4=out4"], merged);
        Assert.Equal("## b0\nout0\n\n## b1\nout1\n\n## b2\nout2\n\n## b3\nout3\n\n## b4\nout4", result.Output);
    }

    [Fact]
    public async Task A_conditional_edge_routes_on_output_and_skips_the_branch_not_taken()
    {
        var workflow = new WorkflowBuilder("route")
            .AddFunction("triage", ctx => ctx.Input.Contains("urgent", StringComparison.Ordinal) ? "URGENT" : "ROUTINE")
            .AddFunction("escalate", _ => "paged on-call")
            .AddFunction("queue", _ => "queued")
            .AddNode(new RouterNode("done"))
            .AddEdge("triage", "escalate", "output == 'URGENT'")
            .AddEdge("triage", "queue", "output == 'ROUTINE'")
            .AddFanIn(["escalate", "queue"], "done")
            .Build();
        var engine = new MeshFlowEngine();

        var urgent = await engine.RunAsync(workflow, "urgent: server down");
        var routine = await engine.RunAsync(workflow, "printer low on toner");

        Assert.Equal(["triage:1", "escalate:1", "done:1"], urgent.Steps.Select(s => s.StepId));
        Assert.Equal("paged on-call", urgent.Output);
        Assert.Equal(["triage:1", "queue:1", "done:1"], routine.Steps.Select(s => s.StepId));
        Assert.Equal("queued", routine.Output);
    }

    [Fact]
    public async Task A_node_whose_every_incoming_edge_was_not_taken_is_skipped_with_what_follows_it()
    {
        var workflow = new WorkflowBuilder("skip")
            .AddFunction("a", _ => "no")
            .AddFunction("b", _ => "b")
            .AddFunction("c", _ => "c")
            .AddEdge("a", "b", "output == 'yes'")
            .AddEdge("b", "c")
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(["a:1"], result.Steps.Select(s => s.StepId));
        Assert.False(result.Outputs.ContainsKey("c"));
    }

    [Fact]
    public async Task A_failing_branch_fails_the_run_with_the_node_named_and_stops_the_others()
    {
        var otherCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workflow = new WorkflowBuilder("fail")
            .AddNode(new RouterNode("start"))
            .AddNode(new FunctionNode("broken", (_, _) => throw new InvalidOperationException("disk on fire")))
            .AddNode(new FunctionNode("slow", async (_, ct) =>
            {
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                }
                catch (OperationCanceledException)
                {
                    otherCancelled.SetResult();
                    throw;
                }

                return "never";
            }))
            .AddFanOut("start", "broken", "slow")
            .Build();

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, "x");
        await otherCancelled.Task.WaitAsync(TestTimeouts.Default);

        Assert.Equal(RunStatus.Failed, capture.Result.Status);
        Assert.Equal(RunErrorCodes.NodeFailed, capture.Result.Error!.Code);
        Assert.Equal("broken", capture.Result.Error.NodeId);
        Assert.Contains("node 'broken' failed: disk on fire", capture.Result.Error.Message, StringComparison.Ordinal);
        Assert.Equal("broken", capture.Of<MeshFlow.Events.ErrorEvent>().Single().NodeId);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
