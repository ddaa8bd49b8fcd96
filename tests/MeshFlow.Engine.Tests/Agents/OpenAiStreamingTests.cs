using MeshFlow.Agents;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Agents;

/// <summary>The engine against a real HTTP server speaking OpenAI's streaming format, through the official OpenAI client.</summary>
public sealed class OpenAiStreamingTests
{
    private const string Key = "sk-test-7f3a9c1e5b";

    [Fact]
    public async Task Token_deltas_from_a_streaming_openai_endpoint_precede_step_end_and_concatenate_to_the_output()
    {
        string[] chunks = ["Confidential", " information", " stays", " confidential", "."];
        await using var server = await FakeOpenAiServer.StartAsync(Key, chunks);
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions
        {
            Llm = LlmConnection.Parse($"Provider=openai;Endpoint={server.Endpoint};Key={Key};Model=gpt-4o-mini"),
        });
        var workflow = new WorkflowBuilder("http").AddAgent("writer", "Draft an NDA clause.").Build();

        var capture = await RunCapture.RunAsync(engine, workflow, "Mutual NDA");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var deltas = capture.Of<TokenDeltaEvent>().ToList();
        var end = Assert.Single(capture.Of<StepEndEvent>());
        Assert.Equal(chunks, deltas.Select(d => d.Text));
        Assert.All(deltas, d => Assert.True(d.Seq < end.Seq));
        Assert.Equal(string.Concat(chunks), end.Output);
        Assert.False(end.Offline);
        Assert.Equal("gpt-4o-mini", end.Model);

        var request = Assert.Single(server.Requests);
        Assert.True(request["stream"]!.GetValue<bool>());
        Assert.Equal("gpt-4o-mini", request["model"]!.GetValue<string>());
        Assert.Equal("system", request["messages"]![0]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Usage_from_the_last_chunk_is_recorded_as_reported_and_priced()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Key, ["a", "b", "c"]);
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions
        {
            Llm = LlmConnection.Parse($"Provider=openai;Endpoint={server.Endpoint};Key={Key};Model=gpt-4o-mini"),
        });
        var workflow = new WorkflowBuilder("usage").AddAgent("a").Build();

        var result = await engine.RunAsync(workflow, "x");

        var step = Assert.Single(result.Steps);
        Assert.Equal(new TokenUsage(42, 3), step.Tokens);
        Assert.False(step.Tokens.Estimated);
        Assert.Equal(ModelPricing.Defaults["gpt-4o-mini"].Cost(42, 3), step.CostUsd);
    }

    [Fact]
    public async Task A_provider_that_reports_no_usage_gets_estimated_counts()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Key, ["Hello", " there"], reportUsage: false);
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions
        {
            Llm = LlmConnection.Parse($"Provider=openai;Endpoint={server.Endpoint};Key={Key};Model=local-model;InputPrice=0;OutputPrice=0"),
        });

        var result = await engine.RunAsync(new WorkflowBuilder("est").AddAgent("a").Build(), "x");

        var step = Assert.Single(result.Steps);
        Assert.True(step.Tokens.Estimated);
        Assert.Equal(2, step.Tokens.Output);
    }

    [Fact]
    public async Task A_rejected_key_fails_the_run_naming_the_node_without_revealing_the_key()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Key, ["never"]);
        const string WrongKey = "sk-wrong-00112233";
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions
        {
            Llm = LlmConnection.Parse($"Provider=openai;Endpoint={server.Endpoint};Key={WrongKey};Model=gpt-4o-mini"),
        });

        var capture = await RunCapture.RunAsync(engine, new WorkflowBuilder("denied").AddAgent("writer").Build(), "x");

        Assert.Equal(RunStatus.Failed, capture.Result.Status);
        Assert.Equal("writer", capture.Result.Error!.NodeId);
        Assert.Contains("401", capture.Result.Error.Message, StringComparison.Ordinal);
        var everything = string.Join("\n", capture.Events.Select(e => System.Text.Json.JsonSerializer.Serialize(e)));
        Assert.DoesNotContain(WrongKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, capture.Result.Error.Message, StringComparison.Ordinal);
    }
}
