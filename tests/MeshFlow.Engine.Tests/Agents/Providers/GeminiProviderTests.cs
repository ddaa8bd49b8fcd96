using System.Net;
using MeshFlow.Agents;
using MeshFlow.Agents.Providers;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Runs;
using MeshFlow.Testing.Providers;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Agents.Providers;

/// <summary>The engine against a fake of Google's OpenAI-compatible Gemini endpoint, through the OpenAI client.</summary>
public sealed class GeminiProviderTests
{
    private const string Key = "AIzaSyD-4n7f1c0e9b2a8d6";

    private static readonly AIFunction Lookup = AIFunctionFactory.Create((string clause) => $"precedent for {clause}",
        new AIFunctionFactoryOptions { Name = "lookup" });

    private static LlmConnection Connection(FakeGeminiServer server, string key = Key, string model = "gemini-2.5-flash") =>
        LlmConnection.Parse($"Provider=gemini;Endpoint={server.Endpoint};Key={key};Model={model}", "gemini");

    private static MeshFlowEngine Engine(LlmConnection connection, Action<MeshFlowEngineOptions>? configure = null)
    {
        var options = new MeshFlowEngineOptions();
        options.Providers.Connections["gemini"] = connection;
        configure?.Invoke(options);
        return new MeshFlowEngine(options);
    }

    private static Workflow Drafting(params AITool[] tools) => new WorkflowBuilder("gemini-draft")
        .AddNode(new AgentNode("writer") { Provider = "gemini", Instructions = "Draft the clause.", Tools = tools })
        .Build();

    [Fact]
    public async Task Deltas_are_streamed_and_the_running_usage_of_every_chunk_is_recorded_once_and_priced()
    {
        await using var server = await new FakeGeminiServer
        {
            ExpectedKey = Key, Deltas = ["Mutual", " confidentiality", " applies."], PromptTokens = 2100, CachedTokens = 2048,
        }.StartAsync();

        var capture = await RunCapture.RunAsync(Engine(Connection(server)), Drafting(), "Mutual NDA");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var end = Assert.Single(capture.Of<StepEndEvent>());
        var deltas = capture.Of<TokenDeltaEvent>().ToList();
        Assert.Equal(["Mutual", " confidentiality", " applies."], deltas.Select(d => d.Text));
        Assert.All(deltas, d => Assert.True(d.Seq < end.Seq));
        Assert.Equal("Mutual confidentiality applies.", end.Output);
        var step = Assert.Single(capture.Result.Steps);
        // Three chunks each said "2100 in, n out so far": the step used 2100 and 3, not their sum.
        Assert.Equal(new TokenUsage(2100, 3, CachedInput: 2048), step.Tokens);
        Assert.Equal(PriceTable.Default.Find(LlmProviders.Gemini, "gemini-2.5-flash")!.Cost(2100, 3, 2048), step.CostUsd);
        Assert.Equal(("gemini", "gemini-2.5-flash", "stop"), (step.Provider, step.Model, step.FinishReason));

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1beta/openai/chat/completions", request.Path);
        Assert.Equal("Bearer " + Key, request.Authorization);
        Assert.Equal("gemini-2.5-flash", request.Body["model"]!.GetValue<string>());
        Assert.True(request.Body["stream"]!.GetValue<bool>());
        Assert.True(request.Body["stream_options"]!["include_usage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_whole_tool_call_without_an_index_runs_the_tool_and_its_result_goes_back()
    {
        await using var server = await new FakeGeminiServer
        {
            ExpectedKey = Key, ToolName = "lookup", ToolArguments = """{"clause":"indemnity"}""", Deltas = ["Per", " precedent."],
        }.StartAsync();

        var capture = await RunCapture.RunAsync(Engine(Connection(server)), Drafting(Lookup), "x");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var call = Assert.Single(capture.Of<ToolCallEvent>());
        Assert.Equal(("lookup", """{"clause":"indemnity"}"""), (call.Name, call.Arguments));
        Assert.Equal("precedent for indemnity", Assert.Single(capture.Of<ToolResultEvent>()).Result);
        Assert.Equal("Per precedent.", capture.Result.Output);
        var step = Assert.Single(capture.Result.Steps);
        // Both model calls of the tool loop, each counted once: 30 prompt tokens each, 9 for the call and 2 for the answer.
        Assert.Equal(new TokenUsage(60, 11), step.Tokens);
        Assert.Equal("stop", step.FinishReason);

        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal(("/v1beta/openai/chat/completions", "Bearer " + Key), (r.Path, r.Authorization)));
        var messages = server.Requests[1].Body["messages"]!.AsArray();
        var assistant = messages.Single(m => m!["role"]!.GetValue<string>() == "assistant");
        var tool = messages.Single(m => m!["role"]!.GetValue<string>() == "tool");
        Assert.StartsWith("function-call-", tool!["tool_call_id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(assistant!["tool_calls"]![0]!["id"]!.GetValue<string>(), tool["tool_call_id"]!.GetValue<string>());
        Assert.Contains("precedent for indemnity", tool["content"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_key_fails_the_run_with_googles_reason_and_the_key_is_nowhere()
    {
        const string WrongKey = "AIzaSyD-wrong-0f9e8d7c6b";
        await using var server = await new FakeGeminiServer { ExpectedKey = Key }.StartAsync();
        await using var ledger = await TestLedger.OpenSqliteAsync();
        using var sinks = new ProviderRunSinks();

        var capture = await RunCapture.RunAsync(Engine(Connection(server, WrongKey), o => o.Ledger = ledger.Ledger), Drafting(), "x");
        var error = await FailureAsync(Connection(server, WrongKey));

        Assert.Equal(RunStatus.Failed, capture.Result.Status);
        Assert.Equal("writer", capture.Result.Error!.NodeId);
        Assert.Contains("llm-gemini", capture.Result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("API key not valid", capture.Result.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, await sinks.TextAsync(capture, ledger), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, false), (error.Status, error.IsTransient));
        Assert.DoesNotContain(WrongKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rate_limit_fails_the_step_naming_it_and_is_transient_with_googles_retry_delay()
    {
        await using var server = await new FakeGeminiServer { ExpectedKey = Key, FailureStatus = 429, RetryDelaySeconds = 12 }.StartAsync();

        var result = await Engine(Connection(server)).RunAsync(Drafting(), "x");
        var error = await FailureAsync(Connection(server));

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("RESOURCE_EXHAUSTED: You exceeded your current quota", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.TooManyRequests, true, TimeSpan.FromSeconds(12)), (error.Status, error.IsTransient, error.RetryAfter));
        Assert.Equal(("llm-gemini", "gemini-2.5-flash"), (error.Connection, error.Model));
    }

    [Fact]
    public async Task A_model_google_does_not_serve_fails_naming_it_and_is_not_transient()
    {
        await using var server = await new FakeGeminiServer { ExpectedKey = Key }.StartAsync();

        var error = await FailureAsync(Connection(server, model: "gemini-0.9-ultra"));

        Assert.Equal((HttpStatusCode.NotFound, false), (error.Status, error.IsTransient));
        Assert.Contains("models/gemini-0.9-ultra is not found", error.Message, StringComparison.Ordinal);
    }

    private static async Task<LlmProviderException> FailureAsync(LlmConnection connection)
    {
        var client = ChatProviders.Create(connection, new ChatProviderOptions());
        return await Assert.ThrowsAsync<LlmProviderException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("x", cancellationToken: TestContext.Current.CancellationToken))
            {
            }
        });
    }
}
