using System.Net;
using System.Text.RegularExpressions;
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

/// <summary>
/// The <c>bedrock</c> provider against a server speaking Bedrock's runtime wire format: Claude through the Anthropic
/// SDK's Bedrock client (SigV4-signed requests checked as AWS checks them, the AWS event stream), other models through
/// the OpenAI-compatible endpoint with a Bedrock API key.
/// </summary>
public sealed class BedrockProviderTests
{
    private const string Region = "eu-west-1";
    private const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string Claude = "anthropic.claude-sonnet-4-5-20250929-v1:0";

    [Fact]
    public async Task Claude_streams_from_a_sigv4_signed_request_and_the_step_records_usage_cost_and_finish()
    {
        string[] deltas = ["Indemnity", " survives", " termination."];
        await using var server = await FakeBedrockServer.StartAsync(Region, AccessKeyId, SecretKey);
        server.Enqueue(AnthropicTurn.Text(deltas) with { InputTokens = 12, CacheReadInputTokens = 100, OutputTokens = 3 });

        var capture = await RunCapture.RunAsync(Engine(server, Credentials()), Writer(), "Mutual NDA");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var end = Assert.Single(capture.Of<StepEndEvent>());
        Assert.Equal(string.Concat(deltas), string.Concat(capture.Of<TokenDeltaEvent>().Select(d => d.Text)));
        Assert.All(capture.Of<TokenDeltaEvent>(), d => Assert.True(d.Seq < end.Seq));
        Assert.Equal(string.Concat(deltas), end.Output);
        var step = Assert.Single(capture.Result.Steps);
        Assert.Equal(new TokenUsage(112, 3, CachedInput: 100), step.Tokens);
        Assert.False(step.Tokens.Estimated);
        Assert.Equal(PriceTable.Default.Find(LlmProviders.Bedrock, Claude)!.Cost(112, 3, 100), step.CostUsd);
        Assert.True(step.CostUsd > 0);
        Assert.Equal((LlmProviders.Bedrock, Claude, "stop"), (step.Provider, step.Model, step.FinishReason));

        var request = Assert.Single(server.Requests);
        Assert.Equal($"/model/{Claude}/invoke-with-response-stream", request.Target);
        Assert.Matches(
            new Regex($@"^AWS4-HMAC-SHA256 Credential={AccessKeyId}/(\d{{8}})/{Region}/bedrock/aws4_request, SignedHeaders=([a-z0-9-]+;)*host(;[a-z0-9-]+)*, Signature=[0-9a-f]{{64}}$"),
            request.Header("Authorization"));
        Assert.Matches(@"^\d{8}T\d{6}Z$", request.Header("x-amz-date"));
        Assert.Equal(1, server.VerifiedSignatures);
        Assert.DoesNotContain(SecretKey, request.ToString(), StringComparison.Ordinal);
        var body = request.Json();
        Assert.NotNull(body["anthropic_version"]);
        Assert.False(body.ContainsKey("model"));
    }

    [Fact]
    public async Task Temporary_credentials_send_and_sign_the_session_token()
    {
        const string SessionToken = "IQoJb3JpZ2luX2VjEXAMPLEsessiontoken";
        await using var server = await FakeBedrockServer.StartAsync(Region, AccessKeyId, SecretKey, sessionToken: SessionToken);
        server.Enqueue(AnthropicTurn.Text("Noted.") with { InputTokens = 20, OutputTokens = 2 });
        const string Profile = "us.anthropic.claude-haiku-4-5-20251001-v1:0";

        var response = await Client(server, Credentials(("AWS_SESSION_TOKEN", SessionToken)), Profile).GetResponseAsync("Summarise.");

        Assert.Equal("Noted.", response.Text);
        Assert.Equal((20L, 2L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount));
        var request = Assert.Single(server.Requests);
        Assert.Equal($"/model/{Profile}/invoke", request.Target);
        Assert.Equal(SessionToken, request.Header("x-amz-security-token"));
        Assert.Contains("x-amz-security-token", request.Header("Authorization"), StringComparison.Ordinal);
        Assert.Equal(1, server.VerifiedSignatures);
    }

    [Fact]
    public async Task A_gzip_compressed_event_stream_is_read()
    {
        await using var server = await FakeBedrockServer.StartAsync(Region, AccessKeyId, SecretKey);
        server.CompressStreams = true;
        server.Enqueue(AnthropicTurn.Text(40, "clause "));

        var result = await Engine(server, Credentials()).RunAsync(Writer(), "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(string.Concat(Enumerable.Repeat("clause ", 40)), result.Output);
        Assert.Contains("gzip", Assert.Single(server.Requests).Header("Accept-Encoding"), StringComparison.Ordinal);
        Assert.Equal(1, server.CompressedStreams);
    }

    [Fact]
    public async Task Missing_aws_credentials_fail_the_run_with_an_error_naming_the_variables()
    {
        await using var server = await FakeBedrockServer.StartAsync(Region, AccessKeyId, SecretKey);

        var result = await Engine(server, Credentials(("AWS_SECRET_ACCESS_KEY", null))).RunAsync(Writer(), "x");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("'llm-bedrock'", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_SECRET_ACCESS_KEY is not set", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_ACCESS_KEY_ID", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_BEARER_TOKEN_BEDROCK", result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);

        var missing = await Assert.ThrowsAsync<LlmProviderException>(() => DrainAsync(Client(server, _ => null)));
        Assert.False(missing.IsTransient);
        Assert.Contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_as_a_signature_mismatch_that_is_not_transient_and_never_sent()
    {
        const string WrongSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY";
        await using var server = await FakeBedrockServer.StartAsync(Region, AccessKeyId, SecretKey);

        var refused = await Assert.ThrowsAsync<LlmProviderException>(
            () => DrainAsync(Client(server, Credentials(("AWS_SECRET_ACCESS_KEY", WrongSecret)))));

        Assert.False(refused.IsTransient);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("InvalidSignatureException", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'llm-bedrock'", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongSecret, refused.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(WrongSecret, Assert.Single(server.Requests).ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.VerifiedSignatures);
    }

    [Fact]
    public async Task Throttling_is_transient_with_the_wait_asked_for_whether_answered_or_streamed()
    {
        await using var server = await FakeBedrockServer.StartAsync(Region, AccessKeyId, SecretKey);
        server.Enqueue(
            AnthropicTurn.Error(429, "ThrottlingException", "Too many requests, please wait before trying again.", retryAfterSeconds: 3),
            AnthropicTurn.Text("Part") with { StreamErrorType = "throttlingException" });

        var answered = await Assert.ThrowsAsync<LlmProviderException>(() => DrainAsync(Client(server, Credentials())));
        var streamed = await Assert.ThrowsAsync<LlmProviderException>(() => DrainAsync(Client(server, Credentials())));

        Assert.True(answered.IsTransient);
        Assert.Equal(HttpStatusCode.TooManyRequests, answered.Status);
        Assert.Equal(TimeSpan.FromSeconds(3), answered.RetryAfter);
        Assert.Contains("rate limit reached", answered.Message, StringComparison.Ordinal);
        Assert.Contains("ThrottlingException", answered.Message, StringComparison.Ordinal);
        Assert.True(streamed.IsTransient);
        Assert.Equal(HttpStatusCode.TooManyRequests, streamed.Status);
        Assert.Contains("throttlingException", streamed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bedrock_api_key_is_sent_as_a_bearer_token_instead_of_a_signature()
    {
        const string ApiKey = "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl";
        await using var server = await FakeBedrockServer.StartAsync(Region, AccessKeyId, SecretKey, apiKey: ApiKey);

        var result = await Engine(server, Credentials(), key: ApiKey).RunAsync(Writer(), "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal("Hello from Claude on Bedrock", result.Output);
        Assert.Equal("Bearer " + ApiKey, Assert.Single(server.Requests).Header("Authorization"));
        Assert.Equal(0, server.VerifiedSignatures);
    }

    [Fact]
    public async Task Other_models_go_through_the_openai_compatible_endpoint_with_the_api_key()
    {
        const string ApiKey = "ABSKQmVkcm9ja0FQSUtleS1vcGVuYWk";
        const string Model = "openai.gpt-oss-120b-1:0";
        await using var server = await FakeBedrockServer.StartAsync(Region, AccessKeyId, SecretKey, apiKey: ApiKey);
        var workflow = new WorkflowBuilder("oss").AddNode(new AgentNode("writer") { Provider = "bedrock", Model = Model }).Build();

        var capture = await RunCapture.RunAsync(Engine(server, _ => null, key: ApiKey), workflow, "x");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        Assert.Equal(["Hello", " from", " Bedrock"], capture.Of<TokenDeltaEvent>().Select(d => d.Text));
        var step = Assert.Single(capture.Result.Steps);
        Assert.Equal((30L, 3L, false), (step.Tokens.Input, step.Tokens.Output, step.Tokens.Estimated));
        Assert.Equal(PriceTable.Default.Find(LlmProviders.Bedrock, Model)!.Cost(30, 3, step.Tokens.CachedInput), step.CostUsd);
        Assert.Equal((LlmProviders.Bedrock, "stop"), (step.Provider, step.FinishReason));
        var request = Assert.Single(server.Requests);
        Assert.Equal("/openai/v1/chat/completions", request.Target);
        Assert.Equal("Bearer " + ApiKey, request.Header("Authorization"));
        Assert.Equal(Model, request.Json()["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Other_models_without_an_api_key_are_refused_with_an_error_naming_the_key()
    {
        await using var server = await FakeBedrockServer.StartAsync(Region, AccessKeyId, SecretKey);

        var missing = Assert.Throws<LlmProviderException>(() => Client(server, Credentials(), "amazon.nova-pro-v1:0"));

        Assert.False(missing.IsTransient);
        Assert.Contains("no Key", missing.Message, StringComparison.Ordinal);
        Assert.Contains("OpenAI-compatible", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("anthropic.claude-sonnet-4-5-20250929-v1:0", true)]
    [InlineData("us.anthropic.claude-haiku-4-5-20251001-v1:0", true)]
    [InlineData("global.anthropic.claude-opus-4-5-20251101-v1:0", true)]
    [InlineData("arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0", true)]
    [InlineData("amazon.nova-pro-v1:0", false)]
    [InlineData("us.meta.llama3-3-70b-instruct-v1:0", false)]
    [InlineData("openai.gpt-oss-120b-1:0", false)]
    public void Claude_model_ids_are_told_from_the_others(string model, bool claude) => Assert.Equal(claude, BedrockProvider.IsClaude(model));

    private static Func<string, string?> Credentials(params (string Name, string? Value)[] overrides)
    {
        var variables = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        };
        foreach (var (name, value) in overrides)
        {
            variables[name] = value;
        }

        return name => variables.GetValueOrDefault(name);
    }

    private static LlmConnection Connection(FakeBedrockServer server, string? key) =>
        LlmConnection.Parse($"Provider=bedrock;Region={Region};Endpoint={server.BaseAddress};Model={Claude}{(key is null ? "" : ";Key=" + key)}", "bedrock");

    private static MeshFlowEngine Engine(FakeBedrockServer server, Func<string, string?> environment, string? key = null)
    {
        var options = new MeshFlowEngineOptions();
        options.Providers.Connections["bedrock"] = Connection(server, key);
        options.Providers.Environment = environment;
        return new MeshFlowEngine(options);
    }

    private static IChatClient Client(FakeBedrockServer server, Func<string, string?> environment, string? model = null) =>
        ChatProviders.Create(Connection(server, null), new ChatProviderOptions { Environment = environment }, model);

    private static Workflow Writer() => new WorkflowBuilder("bedrock")
        .AddNode(new AgentNode("writer") { Provider = "bedrock", Model = Claude, Instructions = "Draft a survival clause." })
        .Build();

    private static async Task DrainAsync(IChatClient client)
    {
        await foreach (var update in client.GetStreamingResponseAsync("Draft a clause."))
        {
            _ = update;
        }
    }
}
