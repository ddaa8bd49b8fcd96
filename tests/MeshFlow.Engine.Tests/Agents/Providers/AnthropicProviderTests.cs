using System.Net;
using System.Text.Json;
using MeshFlow.Agents;
using MeshFlow.Agents.Providers;
using MeshFlow.Agents.Resilience;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Runs;
using MeshFlow.Testing.Providers;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Agents.Providers;

/// <summary>
/// The <c>anthropic</c> provider (the official Anthropic SDK's chat client) against a server speaking Anthropic's
/// Messages API wire format, through the engine: what a step records, and how refusals read and classify.
/// </summary>
public sealed class AnthropicProviderTests
{
    private const string Key = "sk-ant-api03-test-4f9c2a7e1b58d3";
    private const string Model = "claude-sonnet-4-5";

    [Fact]
    public async Task Streamed_text_deltas_become_token_deltas_in_order_and_the_output()
    {
        string[] deltas = ["Either", " party", " may", " terminate", "."];
        await using var server = await FakeAnthropicServer.StartAsync(Key);
        server.Enqueue(AnthropicTurn.Text(deltas));

        var capture = await RunCapture.RunAsync(Engine(server), Writer(), "Mutual NDA");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var end = Assert.Single(capture.Of<StepEndEvent>());
        var tokens = capture.Of<TokenDeltaEvent>().ToList();
        Assert.Equal(string.Concat(deltas), string.Concat(tokens.Select(t => t.Text)));
        Assert.All(tokens, t => Assert.True(t.Seq < end.Seq));
        Assert.Equal(string.Concat(deltas), end.Output);
        var step = Assert.Single(capture.Result.Steps);
        Assert.Equal((LlmProviders.Anthropic, Model, "stop"), (step.Provider, step.Model, step.FinishReason));

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/messages", request.Target);
        Assert.NotNull(request.Header("anthropic-version"));
        var body = request.Json();
        Assert.Equal(Model, body["model"]!.GetValue<string>());
        Assert.True(body["stream"]!.GetValue<bool>());
        // The standard policy's remaining token budget (a million) is held to what Claude Sonnet 4.5 may be asked for.
        Assert.Equal(64_000, body["max_tokens"]!.GetValue<int>());
        Assert.Contains("Draft a termination clause.", body["system"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("user", body["messages"]![0]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Usage_counts_cache_reads_and_writes_as_input_and_prices_the_reads_at_the_cached_rate()
    {
        await using var server = await FakeAnthropicServer.StartAsync(Key);
        server.Enqueue(AnthropicTurn.Text("Agreed.") with { InputTokens = 10, CacheReadInputTokens = 800, CacheCreationInputTokens = 200, OutputTokens = 4 });

        var result = await Engine(server).RunAsync(Writer(), "x");

        var step = Assert.Single(result.Steps);
        // Anthropic's input_tokens leaves out what the prompt cache read and wrote; MeshFlow's input includes both.
        Assert.Equal(new TokenUsage(1010, 4, CachedInput: 800), step.Tokens);
        Assert.False(step.Tokens.Estimated);
        var price = PriceTable.Default.Find(LlmProviders.Anthropic, Model)!;
        Assert.NotNull(price.CachedInputPerMillionUsd);
        Assert.Equal(price.Cost(1010, 4, 800), step.CostUsd);
        Assert.Equal(((210 * 3.00m) + (800 * 0.30m) + (4 * 15.00m)) / 1_000_000m, step.CostUsd);
    }

    [Fact]
    public async Task A_max_tokens_stop_is_recorded_as_length()
    {
        await using var server = await FakeAnthropicServer.StartAsync(Key);
        server.Enqueue(AnthropicTurn.Text("The parties agree that") with { StopReason = "max_tokens" });
        var workflow = new WorkflowBuilder("cut").AddNode(new AgentNode("writer") { Provider = "anthropic", Model = Model, MaxOutputTokens = 5 }).Build();

        var result = await Engine(server).RunAsync(workflow, "x");

        Assert.Equal("length", Assert.Single(result.Steps).FinishReason);
        Assert.Equal(5, Assert.Single(server.Requests).Json()["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task With_no_output_limit_asked_for_a_call_asks_for_the_models_own_limit()
    {
        await using var server = await FakeAnthropicServer.StartAsync(Key);

        await Engine(server).RunAsync(Writer(), "x", new RunOptions { Policy = new Policy() });
        await Client(server, model: "claude-3-haiku-20240307").GetResponseAsync("x");

        Assert.Equal([64_000, 4096], server.Requests.Select(r => r.Json()["max_tokens"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("claude-sonnet-4-5-20250929", 64_000)]
    [InlineData("claude-opus-4-1", 32_000)]
    [InlineData("claude-opus-4-5", 64_000)]
    [InlineData("us.anthropic.claude-3-5-haiku-20241022-v1:0", 8_192)]
    [InlineData("anthropic.claude-3-haiku-20240307-v1:0", 4_096)]
    [InlineData("claude-next-7", AnthropicOutputLimits.Unlisted)]
    public void Each_claude_model_has_its_output_limit(string model, int limit) => Assert.Equal(limit, AnthropicOutputLimits.Of(model));

    [Fact]
    public async Task A_tool_use_turn_runs_the_tool_and_sends_its_result_back_before_the_answer()
    {
        await using var server = await FakeAnthropicServer.StartAsync(Key);
        server.Enqueue(
            AnthropicTurn.ToolUse("get_governing_law", """{"jurisdiction":"Delaware","year":2024}""", "Let me check.") with
            {
                ToolUseId = "toolu_01A09q90qw90lq917835lq9", InputTokens = 40, OutputTokens = 12,
            },
            AnthropicTurn.Text("Delaware law", " governs.") with { InputTokens = 70, OutputTokens = 5 });
        var lookups = 0;
        var tool = AIFunctionFactory.Create((string jurisdiction, int year) =>
        {
            Interlocked.Increment(ref lookups);
            return $"{jurisdiction} statute of {year}";
        }, "get_governing_law", "The governing law of a jurisdiction.");
        var workflow = new WorkflowBuilder("tools").AddNode(new AgentNode("counsel") { Provider = "anthropic", Model = Model, Tools = [tool] }).Build();

        var capture = await RunCapture.RunAsync(Engine(server), workflow, "Which law governs?");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        Assert.Equal(1, lookups);
        var call = Assert.Single(capture.Of<ToolCallEvent>());
        Assert.Equal(("toolu_01A09q90qw90lq917835lq9", "get_governing_law"), (call.CallId, call.Name));
        Assert.Equal("Delaware", JsonDocument.Parse(call.Arguments).RootElement.GetProperty("jurisdiction").GetString());
        Assert.Equal("Delaware statute of 2024", Assert.Single(capture.Of<ToolResultEvent>()).Result);
        var step = Assert.Single(capture.Result.Steps);
        Assert.Equal("Delaware statute of 2024", Assert.Single(step.ToolCalls).Result);
        Assert.EndsWith("Delaware law governs.", step.Output, StringComparison.Ordinal);
        Assert.Equal(new TokenUsage(110, 17), step.Tokens);
        Assert.Equal("stop", step.FinishReason);

        Assert.Equal(2, server.Requests.Count);
        var first = server.Requests[0].Json();
        Assert.Equal("get_governing_law", first["tools"]![0]!["name"]!.GetValue<string>());
        var resent = server.Requests[1].Json()["messages"]!.AsArray();
        var toolUse = resent[^2]!["content"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "tool_use")!;
        Assert.Equal("toolu_01A09q90qw90lq917835lq9", toolUse["id"]!.GetValue<string>());
        var toolResult = resent[^1]!["content"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "tool_result")!;
        Assert.Equal("toolu_01A09q90qw90lq917835lq9", toolResult["tool_use_id"]!.GetValue<string>());
        Assert.Contains("Delaware statute of 2024", toolResult.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_streaming_call_returns_the_message_with_usage_and_finish_reason()
    {
        await using var server = await FakeAnthropicServer.StartAsync(Key);
        server.Enqueue(AnthropicTurn.Text("Signed", " and", " sealed.") with { InputTokens = 9, CacheReadInputTokens = 3, OutputTokens = 3 });
        // An endpoint given with /v1, as other providers' base URLs are, reaches the same API.
        var client = Client(server, endpoint: new Uri(server.BaseAddress, "v1"));

        var response = await client.GetResponseAsync("Close the deal.");

        Assert.Equal("Signed and sealed.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal((12L, 3L, 3L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.CachedInputTokenCount));
        Assert.False(Assert.Single(server.Requests).Json().ContainsKey("stream"));
    }

    [Fact]
    public async Task A_refused_key_fails_the_run_naming_the_connection_and_the_key_appears_nowhere()
    {
        const string WrongKey = "sk-ant-api03-wrong-77aa1c0ffee9";
        await using var server = await FakeAnthropicServer.StartAsync(Key);
        await using var ledger = await TestLedger.OpenSqliteAsync();

        var capture = await RunCapture.RunAsync(Engine(server, WrongKey, o => o.Ledger = ledger.Ledger), Writer(), "x",
            new RunOptions { TenantId = "acme" });

        Assert.Equal(RunStatus.Failed, capture.Result.Status);
        var error = capture.Result.Error!;
        Assert.Equal("writer", error.NodeId);
        Assert.Contains("'llm-anthropic'", error.Message, StringComparison.Ordinal);
        Assert.Contains("authentication failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("authentication_error", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, string.Join("\n", capture.Events.Select(e => JsonSerializer.Serialize(e))), StringComparison.Ordinal);
        var records = await ledger.Store.ReadRecordsAsync("acme", capture.Result.RunId);
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.DoesNotContain(WrongKey, r.Payload, StringComparison.Ordinal));
        Assert.DoesNotContain(WrongKey, JsonSerializer.Serialize(capture.Result), StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<LlmProviderException>(() => Client(server, WrongKey).GetResponseAsync("x"));
        Assert.False(refused.IsTransient);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Null(refused.RetryAfter);
        Assert.DoesNotContain(WrongKey, refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rate_limit_fails_the_step_naming_it_and_classifies_as_transient_with_the_wait_asked_for()
    {
        await using var server = await FakeAnthropicServer.StartAsync(Key);
        var rateLimit = AnthropicTurn.Error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", retryAfterSeconds: 7);
        server.Enqueue(rateLimit, rateLimit);

        var result = await Engine(server).RunAsync(Writer(), "x");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("rate limit reached", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("rate_limit_error", result.Error.Message, StringComparison.Ordinal);
        // The SDK's own retries are off: the resilience layer decides.
        Assert.Single(server.Requests);

        var limited = await Assert.ThrowsAsync<LlmProviderException>(() => DrainAsync(Client(server)));
        Assert.True(limited.IsTransient);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.RetryAfter);
        Assert.Equal(("llm-anthropic", Model), (limited.Connection, limited.Model));
    }

    [Fact]
    public async Task An_unknown_model_is_not_found_and_not_transient()
    {
        await using var server = await FakeAnthropicServer.StartAsync(Key);
        server.IsKnownModel = model => model == Model;

        var missing = await Assert.ThrowsAsync<LlmProviderException>(() => DrainAsync(Client(server, model: "claude-opus-9")));

        Assert.False(missing.IsTransient);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Contains("not_found_error", missing.Message, StringComparison.Ordinal);
        Assert.Contains("'claude-opus-9'", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_overloaded_error_inside_the_stream_is_transient()
    {
        await using var server = await FakeAnthropicServer.StartAsync(Key);
        server.Enqueue(AnthropicTurn.Text("Partial") with { StreamErrorType = "overloaded_error" });

        var overloaded = await Assert.ThrowsAsync<LlmProviderException>(() => DrainAsync(Client(server)));

        Assert.True(overloaded.IsTransient);
        Assert.Equal((HttpStatusCode)529, overloaded.Status);
        Assert.Contains("overloaded", overloaded.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_that_goes_silent_for_the_network_timeout_fails_as_a_transient_timeout()
    {
        await using var server = await FakeAnthropicServer.StartAsync(Key);
        server.Enqueue(AnthropicTurn.Text("late") with { StallAfterStart = TimeSpan.FromMinutes(1) });

        var silent = await Assert.ThrowsAsync<LlmProviderException>(
            () => DrainAsync(Client(server, options: new ChatProviderOptions { NetworkTimeout = TimeSpan.FromMilliseconds(300) })))
            .WaitAsync(TestTimeouts.Default);

        Assert.True(silent.IsTransient);
        Assert.Null(silent.Status);
        Assert.Contains("timed out", silent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_a_transient_failure_with_no_status()
    {
        await using var server = await FakeAnthropicServer.StartAsync(Key);
        var closed = new Uri("http://127.0.0.1:1/");

        var unreachable = await Assert.ThrowsAsync<LlmProviderException>(() => DrainAsync(Client(server, endpoint: closed)));

        Assert.True(unreachable.IsTransient);
        Assert.Null(unreachable.Status);
        Assert.Contains("could not reach", unreachable.Message, StringComparison.Ordinal);
    }

    private static MeshFlowEngine Engine(FakeAnthropicServer server, string key = Key, Action<MeshFlowEngineOptions>? configure = null)
    {
        var options = new MeshFlowEngineOptions();
        options.Providers.Connections["anthropic"] = Connection(server, key);
        // Each request here is one the provider's wire format answers; retries are ProviderResilienceTests' subject.
        options.Providers.Resilience = new ProviderResilienceOptions { MaxRetries = 0 };
        configure?.Invoke(options);
        return new MeshFlowEngine(options);
    }

    private static LlmConnection Connection(FakeAnthropicServer server, string key = Key, Uri? endpoint = null) =>
        LlmConnection.Parse($"Provider=anthropic;Endpoint={endpoint ?? server.BaseAddress};Key={key};Model={Model}", "anthropic");

    private static IChatClient Client(FakeAnthropicServer server, string key = Key, string? model = null, Uri? endpoint = null,
        ChatProviderOptions? options = null) =>
        ChatProviders.Create(Connection(server, key, endpoint), options ?? new ChatProviderOptions(), model);

    private static Workflow Writer() => new WorkflowBuilder("claude")
        .AddNode(new AgentNode("writer") { Provider = "anthropic", Model = Model, Instructions = "Draft a termination clause." })
        .Build();

    private static async Task DrainAsync(IChatClient client)
    {
        await foreach (var update in client.GetStreamingResponseAsync("Draft a clause."))
        {
            _ = update;
        }
    }
}
