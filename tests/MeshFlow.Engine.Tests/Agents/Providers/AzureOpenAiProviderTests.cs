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

/// <summary>The engine against a fake Azure OpenAI resource, through the Azure.AI.OpenAI client.</summary>
public sealed class AzureOpenAiProviderTests
{
    private const string Key = "azk-5d1f0c93b7e2a64e8f";

    private static readonly AIFunction Lookup = AIFunctionFactory.Create((string clause) => $"precedent for {clause}",
        new AIFunctionFactoryOptions { Name = "lookup" });

    private static LlmConnection Connection(FakeAzureOpenAiServer server, string fields = $"Key={Key}") =>
        LlmConnection.Parse($"Provider=azure;Endpoint={server.BaseAddress};{fields};Deployment=prod-4o;Model=gpt-4o", "azure");

    private static MeshFlowEngine Engine(LlmConnection connection, Action<MeshFlowEngineOptions>? configure = null)
    {
        var options = new MeshFlowEngineOptions();
        options.Providers.Connections["azure"] = connection;
        // Each request here is one the provider's wire format answers; retries are ProviderResilienceTests' subject.
        options.Providers.Resilience = new ProviderResilienceOptions { MaxRetries = 0 };
        configure?.Invoke(options);
        return new MeshFlowEngine(options);
    }

    private static Workflow Drafting(params AITool[] tools) => new WorkflowBuilder("azure-draft")
        .AddNode(new AgentNode("writer") { Provider = "azure", Instructions = "Draft the clause.", Tools = tools })
        .Build();

    [Fact]
    public async Task Deltas_usage_with_cached_tokens_and_the_finish_reason_are_recorded_and_priced_as_openai_gpt_4o()
    {
        await using var server = await new FakeAzureOpenAiServer
        {
            ExpectedKey = Key, Deltas = ["Mutual", " confidentiality", " applies."], PromptTokens = 1200, CachedTokens = 1024,
        }.StartAsync();

        var capture = await RunCapture.RunAsync(Engine(Connection(server)), Drafting(), "Mutual NDA");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var end = Assert.Single(capture.Of<StepEndEvent>());
        var deltas = capture.Of<TokenDeltaEvent>().ToList();
        Assert.Equal(["Mutual", " confidentiality", " applies."], deltas.Select(d => d.Text));
        Assert.All(deltas, d => Assert.True(d.Seq < end.Seq));
        Assert.Equal("Mutual confidentiality applies.", end.Output);
        var step = Assert.Single(capture.Result.Steps);
        Assert.Equal(new TokenUsage(1200, 3, CachedInput: 1024), step.Tokens);
        Assert.Equal(PriceTable.Default.Find(LlmProviders.OpenAi, "gpt-4o")!.Cost(1200, 3, 1024), step.CostUsd);
        Assert.False(step.Unpriced);
        Assert.Equal(("azure", "gpt-4o", "stop"), (step.Provider, step.Model, step.FinishReason));

        var request = Assert.Single(server.Requests);
        Assert.Equal("/openai/deployments/prod-4o/chat/completions", request.Path);
        Assert.Equal(LlmProviders.DefaultAzureApiVersion, request.ApiVersion);
        Assert.Equal((Key, (string?)null), (request.ApiKey, request.Authorization));
        Assert.True(request.Body["stream"]!.GetValue<bool>());
        Assert.True(request.Body["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal(["system", "user"], request.Body["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_bearer_token_and_the_connections_api_version_go_on_the_wire_in_place_of_a_key()
    {
        const string Token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra";
        await using var server = await new FakeAzureOpenAiServer { ExpectedToken = Token }.StartAsync();

        var result = await Engine(Connection(server, $"Token={Token};ApiVersion=2025-01-01-preview")).RunAsync(Drafting(), "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal("Hello from Azure", result.Output);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("2025-01-01-preview", (string?)null, "Bearer " + Token), (request.ApiVersion, request.ApiKey, request.Authorization));
    }

    [Fact]
    public async Task A_call_that_does_not_stream_gets_the_whole_answer_with_its_usage()
    {
        await using var server = await new FakeAzureOpenAiServer { ExpectedKey = Key, Deltas = ["Whole", " answer"], CachedTokens = 20 }.StartAsync();
        var client = ChatProviders.Create(Connection(server), new ChatProviderOptions());

        var response = await client.GetResponseAsync("x", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("Whole answer", response.Text);
        Assert.Equal((42L, 2L, 20L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.CachedInputTokenCount));
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Null(Assert.Single(server.Requests).Body["stream"]);
    }

    [Fact]
    public async Task A_tool_call_streamed_in_pieces_runs_the_tool_and_its_result_goes_back_to_the_deployment()
    {
        await using var server = await new FakeAzureOpenAiServer
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
        Assert.Equal("precedent for indemnity", Assert.Single(step.ToolCalls).Result);
        // Both model calls of the tool loop: 42 prompt tokens each, 12 for the call and 2 for the answer.
        Assert.Equal(new TokenUsage(84, 14), step.Tokens);
        Assert.Equal("stop", step.FinishReason);

        Assert.Equal(2, server.Requests.Count);
        var messages = server.Requests[1].Body["messages"]!.AsArray();
        var assistant = messages.Single(m => m!["role"]!.GetValue<string>() == "assistant");
        var tool = messages.Single(m => m!["role"]!.GetValue<string>() == "tool");
        Assert.Equal(assistant!["tool_calls"]![0]!["id"]!.GetValue<string>(), tool!["tool_call_id"]!.GetValue<string>());
        Assert.Contains("precedent for indemnity", tool["content"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_key_fails_the_run_naming_the_connection_and_the_key_is_nowhere()
    {
        const string WrongKey = "azk-0000-wrong-9a8b7c6d";
        await using var server = await new FakeAzureOpenAiServer { ExpectedKey = Key }.StartAsync();
        await using var ledger = await TestLedger.OpenSqliteAsync();
        using var sinks = new ProviderRunSinks();

        var capture = await RunCapture.RunAsync(Engine(Connection(server, $"Key={WrongKey}"), o => o.Ledger = ledger.Ledger), Drafting(), "x");

        Assert.Equal(RunStatus.Failed, capture.Result.Status);
        Assert.Equal("writer", capture.Result.Error!.NodeId);
        Assert.Contains("llm-azure", capture.Result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("deployment 'prod-4o'", capture.Result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("Access denied due to invalid subscription key", capture.Result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(WrongKey, Assert.Single(server.Requests).ApiKey);
        Assert.DoesNotContain(WrongKey, await sinks.TextAsync(capture, ledger), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rate_limit_fails_the_step_naming_it_and_is_transient_with_azures_retry_after()
    {
        await using var server = await new FakeAzureOpenAiServer { ExpectedKey = Key, FailureStatus = 429, RetryAfterSeconds = 7 }.StartAsync();

        var result = await Engine(Connection(server)).RunAsync(Drafting(), "x");
        var error = await FailureAsync(Connection(server));

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("exceeded token rate limit", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.TooManyRequests, true, TimeSpan.FromSeconds(7)), (error.Status, error.IsTransient, error.RetryAfter));
        Assert.Equal(("llm-azure", "gpt-4o"), (error.Connection, error.Model));
        // The client's own retries are off: one request per call, so the resilience layer sees every rate limit.
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory]
    [InlineData("Key=azk-wrong-1234567", HttpStatusCode.Unauthorized, "Access denied")]
    [InlineData("ApiVersion=2023-01-01", HttpStatusCode.BadRequest, "API version not supported")]
    public async Task A_refused_key_or_an_api_version_the_resource_does_not_serve_is_not_transient(string fields, HttpStatusCode status, string said)
    {
        await using var server = await new FakeAzureOpenAiServer { ExpectedKey = Key }.StartAsync();

        var error = await FailureAsync(Connection(server, fields.StartsWith("Key=", StringComparison.Ordinal) ? fields : $"Key={Key};{fields}"));

        Assert.Equal((status, false), (error.Status, error.IsTransient));
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_the_connection_does_not_name_is_asked_of_the_deployment_named_after_it()
    {
        await using var server = await new FakeAzureOpenAiServer { ExpectedKey = Key, Deployments = ["prod-4o", "gpt-4o-mini"] }.StartAsync();
        var engine = Engine(Connection(server));
        var workflow = WorkflowYaml.Load("""
            name: azure-mini
            nodes:
              - id: writer
                model: azure/gpt-4o-mini
            """);

        var result = await engine.RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal("/openai/deployments/gpt-4o-mini/chat/completions", Assert.Single(server.Requests).Path);
        var step = Assert.Single(result.Steps);
        Assert.Equal("gpt-4o-mini", step.Model);
        Assert.Equal(PriceTable.Default.Find(LlmProviders.OpenAi, "gpt-4o-mini")!.Cost(42, 3), step.CostUsd);
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
