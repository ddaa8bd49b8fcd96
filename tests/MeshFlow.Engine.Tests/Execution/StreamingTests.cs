using MeshFlow.Agents;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Execution;

public sealed class StreamingTests
{
    [Fact]
    public async Task Token_deltas_arrive_before_step_end_and_concatenate_to_the_output()
    {
        var client = DelegateChatClient.FromChunks("The ", "clause ", "is ", "fine.");
        var workflow = new WorkflowBuilder("one")
            .AddNode(new AgentNode("writer") { ChatClient = client, Instructions = "Draft." })
            .Build();

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, "NDA");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var stepEnd = Assert.Single(capture.Of<StepEndEvent>());
        var endIndex = capture.Events.ToList().IndexOf(stepEnd);
        var deltas = capture.Events.Select((e, i) => (e, i)).Where(x => x.e is TokenDeltaEvent).ToList();
        Assert.Equal(4, deltas.Count);
        Assert.All(deltas, d => Assert.True(d.i < endIndex, "a token_delta came after its step_end"));
        Assert.Equal("The clause is fine.", string.Concat(deltas.Select(d => ((TokenDeltaEvent)d.e).Text)));
        Assert.Equal("The clause is fine.", stepEnd.Output);
        Assert.Equal("The clause is fine.", capture.Result.Output);
    }

    [Fact]
    public async Task Delivered_inline_the_deltas_a_model_yields_without_waiting_are_one_delta_and_those_it_waits_for_are_each_their_own()
    {
        // Two bursts: "a", "b", "c" ready at once, then (after a wait) "d" and "e" ready at once, then "f" after a wait.
        var client = new DelegateChatClient((_, _, ct) => Bursts(ct, ["a", "b", "c"], ["d", "e"], ["f"]));
        var workflow = new WorkflowBuilder("one")
            .AddNode(new AgentNode("writer") { ChatClient = client, Instructions = "Draft." })
            .Build();

        var inline = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, "x", new RunOptions { DeliverEventsInline = true });
        var plain = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, "x");

        Assert.Equal(["abc", "de", "f"], inline.Of<TokenDeltaEvent>().Select(d => d.Text));
        Assert.Equal(["a", "b", "c", "d", "e", "f"], plain.Of<TokenDeltaEvent>().Select(d => d.Text));
        Assert.Equal("abcdef", Assert.Single(inline.Of<StepEndEvent>()).Output);
        var stepEnd = inline.Events.ToList().IndexOf(inline.Of<StepEndEvent>().Single());
        Assert.All(inline.Of<TokenDeltaEvent>(), d => Assert.True(inline.Events.ToList().IndexOf(d) < stepEnd));
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Bursts(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, params string[][] bursts)
    {
        foreach (var burst in bursts)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
            foreach (var chunk in burst)
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, chunk);
            }
        }
    }

    [Fact]
    public async Task Events_are_numbered_without_gaps_from_run_start_to_run_end()
    {
        var workflow = new WorkflowBuilder("chain")
            .AddAgent("a", model: ModelNames.Offline)
            .AddAgent("b", model: ModelNames.Offline)
            .AddEdge("a", "b")
            .Build();

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, "hello");

        Assert.IsType<RunStartEvent>(capture.Events[0]);
        Assert.IsType<RunEndEvent>(capture.Events[^1]);
        Assert.Equal(Enumerable.Range(1, capture.Events.Count).Select(i => (long)i), capture.Events.Select(e => e.Seq));
        Assert.All(capture.Events, e => Assert.Equal(capture.Result.RunId, e.RunId));
    }

    [Fact]
    public async Task Every_step_streams_its_deltas_before_its_own_step_end_in_a_concurrent_fan_out()
    {
        var builder = new WorkflowBuilder("fan").AddNode(new RouterNode("start"));
        for (var i = 0; i < 6; i++)
        {
            builder.AddNode(new AgentNode($"b{i}") { ChatClient = DelegateChatClient.FromChunks("x", "y", $"{i}") })
                .AddEdge("start", $"b{i}");
        }

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), builder.Build(), "go");

        foreach (var end in capture.Of<StepEndEvent>())
        {
            var endSeq = end.Seq;
            var deltas = capture.Of<TokenDeltaEvent>().Where(d => d.StepId == end.StepId).ToList();
            Assert.All(deltas, d => Assert.True(d.Seq < endSeq));
            Assert.Equal(end.Output, string.Concat(deltas.Select(d => d.Text)));
        }
    }

    [Fact]
    public async Task Provider_usage_is_recorded_as_reported_and_priced()
    {
        var client = new DelegateChatClient((_, _, ct) => WithUsage(ct));
        var options = new MeshFlowEngineOptions();
        options.Pricing["priced-model"] = new ModelPricing(InputPerMillionUsd: 1_000m, OutputPerMillionUsd: 2_000m);
        var workflow = new WorkflowBuilder("usage")
            .AddNode(new AgentNode("a") { ChatClient = client, Model = "priced-model" })
            .Build();

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(options), workflow, "in");

        var step = Assert.Single(capture.Result.Steps);
        Assert.Equal(new TokenUsage(120, 30), step.Tokens);
        Assert.False(step.Tokens.Estimated);
        Assert.Equal(0.18m, step.CostUsd);
        Assert.Equal(0.18m, capture.Result.CostUsd);
        Assert.Equal(0.18m, Assert.Single(capture.Of<StepEndEvent>()).CostUsd);

        static async IAsyncEnumerable<ChatResponseUpdate> WithUsage([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "ok");
            yield return new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 120, OutputTokenCount = 30 })] };
        }
    }

    [Fact]
    public async Task Usage_is_counted_with_a_tokenizer_and_marked_estimated_when_the_provider_reports_none()
    {
        var workflow = new WorkflowBuilder("estimate")
            .AddNode(new AgentNode("a") { ChatClient = DelegateChatClient.FromChunks("Hello", " world") })
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "Say hello to the world");

        var step = Assert.Single(result.Steps);
        Assert.True(step.Tokens.Estimated);
        Assert.Equal(2, step.Tokens.Output);
        Assert.True(step.Tokens.Input > 0);
        Assert.True(result.Tokens.Estimated);
    }

    [Fact]
    public async Task The_offline_model_is_deterministic_streams_word_by_word_and_is_labelled_offline()
    {
        var workflow = new WorkflowBuilder("offline").AddAgent("a", "Summarise.", ModelNames.Offline).Build();
        var engine = new MeshFlowEngine();

        var first = await RunCapture.RunAsync(engine, workflow, "The quick brown fox");
        var second = await RunCapture.RunAsync(engine, workflow, "The quick brown fox");
        var other = await engine.RunAsync(workflow, "A different prompt");

        Assert.Equal(first.Result.Output, second.Result.Output);
        Assert.NotEqual(first.Result.Output, other.Output);
        Assert.StartsWith("[offline model]", first.Result.Output, StringComparison.Ordinal);
        Assert.True(first.Of<TokenDeltaEvent>().Count() > 5);
        Assert.True(Assert.Single(first.Of<StepStartEvent>()).Offline);
        Assert.True(Assert.Single(first.Of<StepEndEvent>()).Offline);
        Assert.Equal(ModelNames.Offline, Assert.Single(first.Result.Steps).Model);
        Assert.True(Assert.Single(first.Result.Steps).Offline);
        Assert.Equal(0m, first.Result.CostUsd);
    }

    [Fact]
    public async Task Agents_without_a_model_use_offline_when_no_llm_is_configured()
    {
        var workflow = new WorkflowBuilder("default").AddAgent("a").Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.True(Assert.Single(result.Steps).Offline);
    }

    [Fact]
    public async Task A_provider_model_without_an_llm_connection_fails_the_run_naming_the_node_and_the_setting()
    {
        var workflow = new WorkflowBuilder("needs-llm").AddAgent("writer", model: "gpt-4o-mini").Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal("writer", result.Error!.NodeId);
        Assert.Contains("ConnectionStrings:llm", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scripted_model_replays_its_responses_per_node_and_reports_running_out()
    {
        var workflow = new WorkflowBuilder("scripted")
            .AddNode(new AgentNode("a") { Model = ModelNames.Scripted, Responses = ["first"] })
            .AddNode(new AgentNode("b") { Model = ModelNames.Scripted, Responses = ["second"] })
            .AddEdge("a", "b")
            .AddLoopEdge("b", "a", "iteration < 2")
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal("a", result.Error!.NodeId);
        Assert.Contains("no response left", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(["first", "second"], result.Steps.Select(s => s.Output));
    }

    [Fact]
    public async Task Each_run_of_a_workflow_gets_its_own_script_position()
    {
        var workflow = new WorkflowBuilder("scripted")
            .AddNode(new AgentNode("a") { Model = ModelNames.Scripted, Responses = ["only"] })
            .Build();
        var engine = new MeshFlowEngine();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => engine.RunAsync(workflow, "x")));

        Assert.All(results, r => Assert.Equal("only", r.Output));
    }
}
