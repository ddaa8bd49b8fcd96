using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MeshFlow.Governance.Uncertainty;
using MeshFlow.Tests.Support;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

// OpenAIChatModelFactory's only StreamingChatCompletionUpdate overload that named arguments bind to also takes a
// service tier, which OpenAI 2.14 marks as evaluation-only; the tests build updates with it as the adapter receives them.
#pragma warning disable OPENAI001

namespace MeshFlow.Tests.Governance.Uncertainty;

public sealed class LogProbabilitiesTests
{
    [Fact]
    public void Token_log_probabilities_are_collected_from_the_openai_adapters_raw_update()
    {
        var raw = OpenAIChatModelFactory.StreamingChatCompletionUpdate(
            completionId: "c1",
            contentTokenLogProbabilities:
            [
                OpenAIChatModelFactory.ChatTokenLogProbabilityDetails("Yes", -0.25f, null, []),
                OpenAIChatModelFactory.ChatTokenLogProbabilityDetails(".", -1.5f, null, []),
            ]);
        var update = new ChatResponseUpdate(ChatRole.Assistant, "Yes.") { RawRepresentation = raw };
        var collected = new List<double> { -9 };

        LogProbabilities.Collect(update, collected);

        Assert.Equal([-9, -0.25, -1.5], collected);
    }

    [Fact]
    public void Token_log_probabilities_are_collected_from_additional_properties()
    {
        var fromArray = new ChatResponseUpdate(ChatRole.Assistant, "a")
        {
            AdditionalProperties = new() { [LogProbabilities.AdditionalPropertyKey] = new[] { -0.1, -0.2 } },
        };
        var fromList = new ChatResponseUpdate(ChatRole.Assistant, "b")
        {
            AdditionalProperties = new() { [LogProbabilities.AdditionalPropertyKey] = new List<double> { -0.3 } },
        };
        var collected = new List<double>();

        LogProbabilities.Collect(fromArray, collected);
        LogProbabilities.Collect(fromList, collected);

        Assert.Equal([-0.1, -0.2, -0.3], collected);
    }

    [Fact]
    public void An_update_without_log_probabilities_adds_nothing()
    {
        var collected = new List<double>();

        LogProbabilities.Collect(new ChatResponseUpdate(ChatRole.Assistant, "x"), collected);
        LogProbabilities.Collect(new ChatResponseUpdate { RawRepresentation = OpenAIChatModelFactory.StreamingChatCompletionUpdate(completionId: "c") }, collected);
        LogProbabilities.Collect(new ChatResponseUpdate { AdditionalProperties = new() { ["logprobs"] = "not numbers" } }, collected);

        Assert.Empty(collected);
    }

    [Fact]
    public void Requesting_log_probabilities_copies_the_options_and_keeps_the_raw_settings()
    {
        var original = new ChatOptions
        {
            Temperature = 0.2f,
            RawRepresentationFactory = _ => new ChatCompletionOptions { TopLogProbabilityCount = 3 },
        };
        var originalFactory = original.RawRepresentationFactory;
        using var openAI = new ChatClient("gpt-4o-mini", new ApiKeyCredential("k")).AsIChatClient();

        var requested = LogProbabilities.Request(original);
        var raw = Assert.IsType<ChatCompletionOptions>(requested.RawRepresentationFactory!(openAI));

        Assert.Equal((true, 3), (raw.IncludeLogProbabilities, raw.TopLogProbabilityCount));
        Assert.Equal(0.2f, requested.Temperature);
        Assert.Same(originalFactory, original.RawRepresentationFactory);
        Assert.NotSame(original, requested);
    }

    [Fact]
    public void Other_clients_get_no_openai_options_and_keep_their_own()
    {
        using var other = DelegateChatClient.FromChunks("x");
        var ownRaw = new object();

        var fresh = LogProbabilities.Request(null);
        var own = LogProbabilities.Request(new ChatOptions { RawRepresentationFactory = _ => ownRaw });

        Assert.Null(fresh.RawRepresentationFactory!(other));
        Assert.Same(ownRaw, own.RawRepresentationFactory!(other));
    }

    [Fact]
    public async Task The_openai_adapter_asks_for_and_streams_back_token_log_probabilities()
    {
        var handler = new StreamingHandler(
            Chunk("""{"role":"assistant","content":"Yes"}""", """{"content":[{"token":"Yes","logprob":-0.01,"bytes":[89,101,115],"top_logprobs":[]}],"refusal":null}""", "null"),
            Chunk("""{"content":"."}""", """{"content":[{"token":".","logprob":-0.7,"bytes":[46],"top_logprobs":[]}],"refusal":null}""", "null"),
            Chunk("{}", "null", "\"stop\""));
        using var http = new HttpClient(handler);
        var options = new OpenAIClientOptions { Endpoint = new Uri("http://openai.test/v1"), Transport = new HttpClientPipelineTransport(http) };
        using var client = new ChatClient("gpt-4o-mini", new ApiKeyCredential("k"), options).AsIChatClient();
        var collected = new List<double>();
        var text = new StringBuilder();

        await foreach (var update in client.GetStreamingResponseAsync(
            "Is the clause enforceable?", LogProbabilities.Request(new ChatOptions { Temperature = 0 }), TestContext.Current.CancellationToken))
        {
            LogProbabilities.Collect(update, collected);
            text.Append(update.Text);
        }

        var request = JsonNode.Parse(handler.RequestBody!)!;
        Assert.True(request["logprobs"]!.GetValue<bool>());
        Assert.True(request["stream"]!.GetValue<bool>());
        Assert.Equal("Yes.", text.ToString());
        Assert.Equal([-0.01, -0.7], collected.Select(v => Math.Round(v, 4)));
    }

    private static string Chunk(string delta, string logprobs, string finishReason) =>
        $$"""data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{{delta}},"logprobs":{{logprobs}},"finish_reason":{{finishReason}}}]}""" + "\n\n";

    private sealed class StreamingHandler(params string[] frames) : HttpMessageHandler
    {
        public string? RequestBody { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            RequestBody = await request.Content!.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(string.Concat(frames) + "data: [DONE]\n\n", Encoding.UTF8, "text/event-stream"),
            };
        }
    }
}
