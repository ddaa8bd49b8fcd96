using System.Net;
using MeshFlow.Agents;
using MeshFlow.Agents.Providers;
using MeshFlow.Agents.Resilience;
using MeshFlow.Declarative;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Runs;
using MeshFlow.Testing.Providers;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Agents.Providers;

/// <summary>The engine against a fake Ollama server speaking its NDJSON chat stream, through OllamaSharp.</summary>
public sealed class OllamaProviderTests
{
    private static readonly AIFunction Lookup = AIFunctionFactory.Create((string clause) => $"precedent for {clause}",
        new AIFunctionFactoryOptions { Name = "lookup" });

    private static LlmConnection Connection(FakeOllamaServer server, string extra = "") =>
        LlmConnection.Parse($"Provider=ollama;Endpoint={server.BaseAddress};Model=llama3.2{extra}", "ollama");

    private static MeshFlowEngine Engine(LlmConnection connection, Action<MeshFlowEngineOptions>? configure = null)
    {
        var options = new MeshFlowEngineOptions();
        options.Providers.Connections["ollama"] = connection;
        // Each request here is one the provider's wire format answers; retries are ProviderResilienceTests' subject.
        options.Providers.Resilience = new ProviderResilienceOptions { MaxRetries = 0 };
        options.Tools.Add(Lookup);
        configure?.Invoke(options);
        return new MeshFlowEngine(options);
    }

    private static Workflow Local(string model = "ollama/llama3.2", string tools = "[]") => WorkflowYaml.Load($"""
        name: local-draft
        nodes:
          - id: writer
            model: {model}
            instructions: Draft the clause.
            tools: {tools}
        """);

    [Fact]
    public async Task Ndjson_deltas_and_ollamas_counts_are_recorded_as_reported_and_free()
    {
        await using var server = await new FakeOllamaServer { Deltas = ["Mutual", " confidentiality", " applies."], PromptEvalCount = 31 }.StartAsync();

        var capture = await RunCapture.RunAsync(Engine(Connection(server)), Local(), "Mutual NDA");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var end = Assert.Single(capture.Of<StepEndEvent>());
        var deltas = capture.Of<TokenDeltaEvent>().ToList();
        Assert.Equal(["Mutual", " confidentiality", " applies."], deltas.Select(d => d.Text));
        Assert.All(deltas, d => Assert.True(d.Seq < end.Seq));
        Assert.Equal("Mutual confidentiality applies.", end.Output);
        var step = Assert.Single(capture.Result.Steps);
        Assert.Equal(new TokenUsage(31, 3), step.Tokens);
        Assert.Equal(0m, step.CostUsd);
        Assert.False(step.Unpriced);
        Assert.Equal(("ollama", "llama3.2", "stop"), (step.Provider, step.Model, step.FinishReason));

        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/chat", request.Path);
        Assert.Equal("llama3.2", request.Body["model"]!.GetValue<string>());
        Assert.True(request.Body["stream"]!.GetValue<bool>());
        Assert.Equal(["system", "user"], request.Body["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
        Assert.Null(request.Authorization);
    }

    [Fact]
    public async Task A_length_done_reason_is_the_steps_finish_reason()
    {
        await using var server = await new FakeOllamaServer { DoneReason = "length" }.StartAsync();

        var result = await Engine(Connection(server)).RunAsync(Local(), "x");

        Assert.Equal("length", Assert.Single(result.Steps).FinishReason);
    }

    [Fact]
    public async Task A_call_that_does_not_stream_gets_the_whole_answer_with_its_usage_and_done_reason()
    {
        await using var server = await new FakeOllamaServer { Deltas = ["Whole", " answer"], PromptEvalCount = 17 }.StartAsync();
        var client = ChatProviders.Create(Connection(server), new ChatProviderOptions());

        var response = await client.GetResponseAsync("x", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("Whole answer", response.Text);
        Assert.Equal((17L, 2L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount));
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.False(Assert.Single(server.Requests).Body["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_tool_call_in_message_tool_calls_runs_the_tool_and_its_result_goes_back_as_a_tool_message()
    {
        await using var server = await new FakeOllamaServer
        {
            ToolName = "lookup", ToolArguments = """{"clause":"indemnity"}""", Deltas = ["Per", " precedent."],
        }.StartAsync();

        var capture = await RunCapture.RunAsync(Engine(Connection(server)), Local(tools: "[lookup]"), "x");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var call = Assert.Single(capture.Of<ToolCallEvent>());
        Assert.Equal(("lookup", """{"clause":"indemnity"}"""), (call.Name, call.Arguments));
        Assert.Equal("precedent for indemnity", Assert.Single(capture.Of<ToolResultEvent>()).Result);
        Assert.Equal("Per precedent.", capture.Result.Output);
        var step = Assert.Single(capture.Result.Steps);
        // Both model calls of the tool loop: 26 prompt tokens each, 12 for the call and 2 for the answer.
        Assert.Equal(new TokenUsage(52, 14), step.Tokens);

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("lookup", server.Requests[0].Body["tools"]![0]!["function"]!["name"]!.GetValue<string>());
        var messages = server.Requests[1].Body["messages"]!.AsArray();
        var assistant = messages.Single(m => m!["role"]!.GetValue<string>() == "assistant");
        Assert.Equal("indemnity", assistant!["tool_calls"]![0]!["function"]!["arguments"]!["clause"]!.GetValue<string>());
        var tool = messages.Single(m => m!["role"]!.GetValue<string>() == "tool");
        Assert.Contains("precedent for indemnity", tool!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_the_server_has_not_pulled_fails_with_ollamas_message_naming_it()
    {
        await using var server = await new FakeOllamaServer().StartAsync();

        var result = await Engine(Connection(server)).RunAsync(Local("ollama/mistral"), "x");
        var error = await FailureAsync(Connection(server), "mistral");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("model \"mistral\" not found, try pulling it first", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("llm-ollama", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.NotFound, false, "mistral"), (error.Status, error.IsTransient, error.Model));
    }

    [Theory]
    [InlineData(503, "server busy")]
    [InlineData(429, "too many requests")]
    public async Task A_busy_or_rate_limited_server_fails_the_step_and_is_transient_with_its_retry_after(int status, string said)
    {
        await using var server = await new FakeOllamaServer { FailureStatus = status, RetryAfterSeconds = 3 }.StartAsync();

        var result = await Engine(Connection(server)).RunAsync(Local(), "x");
        var error = await FailureAsync(Connection(server));

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains(said, result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(((HttpStatusCode)status, true, TimeSpan.FromSeconds(3)), (error.Status, error.IsTransient, error.RetryAfter));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_key_refused_by_an_authenticating_proxy_fails_the_run_and_is_nowhere()
    {
        const string Key = "olk-7c2e91b4d05a";
        const string WrongKey = "olk-wrong-3f8a60";
        await using var server = await new FakeOllamaServer { ExpectedKey = Key }.StartAsync();
        await using var ledger = await TestLedger.OpenSqliteAsync();
        using var sinks = new ProviderRunSinks();

        var capture = await RunCapture.RunAsync(Engine(Connection(server, $";Key={WrongKey}"), o => o.Ledger = ledger.Ledger), Local(), "x");
        var accepted = await Engine(Connection(server, $";Key={Key}")).RunAsync(Local(), "x");

        Assert.Equal(RunStatus.Failed, capture.Result.Status);
        Assert.Contains("llm-ollama", capture.Result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("401", capture.Result.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, await sinks.TextAsync(capture, ledger), StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, accepted.Status);
        Assert.Equal(["Bearer " + WrongKey, "Bearer " + Key], server.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task An_error_line_in_a_begun_stream_fails_the_step_with_ollamas_message()
    {
        const string Broken = "an error was encountered while running the model: unexpected EOF";
        await using var server = await new FakeOllamaServer { StreamError = Broken }.StartAsync();

        var result = await Engine(Connection(server)).RunAsync(Local(), "x");
        var error = await FailureAsync(Connection(server));

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains(Broken, result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(((HttpStatusCode?)null, true), (error.Status, error.IsTransient));
    }

    [Fact]
    public async Task A_stream_silent_for_the_network_timeout_after_its_first_line_fails_as_a_transient_timeout()
    {
        await using var server = await new FakeOllamaServer { Deltas = ["Mutual", " confidentiality"], DeltaDelay = TimeSpan.FromSeconds(30) }.StartAsync();
        var client = ChatProviders.Create(Connection(server), new ChatProviderOptions { NetworkTimeout = TimeSpan.FromMilliseconds(500) });
        var received = new List<string>();

        var error = await Assert.ThrowsAsync<LlmProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("x", cancellationToken: TestContext.Current.CancellationToken))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["Mutual"], received);
        Assert.True(error.IsTransient);
        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_go_out_on_the_engines_shared_http_client()
    {
        await using var server = await new FakeOllamaServer().StartAsync();
        using var counting = new CountingHandler();
        using var http = new HttpClient(counting);

        var result = await Engine(Connection(server), o => o.Providers.Http = http).RunAsync(Local(), "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal("Hello from Ollama", result.Output);
        Assert.Equal(1, counting.Sent);
    }

    private static async Task<LlmProviderException> FailureAsync(LlmConnection connection, string? model = null, ChatProviderOptions? options = null)
    {
        var client = ChatProviders.Create(connection, options ?? new ChatProviderOptions(), model);
        return await Assert.ThrowsAsync<LlmProviderException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("x", cancellationToken: TestContext.Current.CancellationToken))
            {
            }
        });
    }

    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
