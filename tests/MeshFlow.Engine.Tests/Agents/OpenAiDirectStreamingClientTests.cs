using System.Runtime.CompilerServices;
using MeshFlow.Agents;
using MeshFlow.Tests.Support;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Agents;

/// <summary>
/// The direct streaming path for plain chat calls, against a real HTTP server speaking OpenAI's streaming format; the
/// wrapped client is a recorder, so each test shows which of the two served the call.
/// </summary>
public sealed class OpenAiDirectStreamingClientTests : IDisposable
{
    private const string Key = "sk-test-direct-5d1c";
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_plain_call_is_streamed_directly_with_the_request_the_openai_client_sends()
    {
        string[] chunks = ["Mutual", " NDA", " draft"];
        await using var server = await FakeOpenAiServer.StartAsync(Key, chunks);
        var inner = new RecordingChatClient();
        using var client = Client(inner, server.Endpoint, Key);
        ChatMessage[] messages = [new(ChatRole.System, "You draft clauses."), new(ChatRole.User, "An NDA, please.")];

        var updates = await ToListAsync(client.GetStreamingResponseAsync(messages, new ChatOptions { Temperature = 0.3f, MaxOutputTokens = 50 }));

        Assert.Equal(0, inner.Calls);
        Assert.Equal(chunks, updates.SelectMany(u => u.Contents.OfType<TextContent>()).Select(t => t.Text));
        var usage = Assert.Single(updates.SelectMany(u => u.Contents.OfType<UsageContent>())).Details;
        Assert.Equal((42L, 3L, 45L), (usage.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount));
        Assert.Equal(ChatFinishReason.Stop, Assert.Single(updates, u => u.FinishReason is not null).FinishReason);
        Assert.All(updates, u => Assert.Equal(("chatcmpl-meshflow-test", "gpt-4o-mini", ChatRole.Assistant), (u.ResponseId, u.ModelId, u.Role)));

        var request = Assert.Single(server.Requests);
        Assert.Equal("gpt-4o-mini", request["model"]!.GetValue<string>());
        Assert.True(request["stream"]!.GetValue<bool>());
        Assert.True(request["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal(0.3, request["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(50, request["max_completion_tokens"]!.GetValue<int>());
        Assert.Equal(
            [("system", "You draft clauses."), ("user", "An NDA, please.")],
            request["messages"]!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), m["content"]!.GetValue<string>())));
    }

    [Fact]
    public async Task The_engine_gets_the_same_steps_through_the_direct_path_as_through_the_openai_client()
    {
        string[] chunks = ["Same", " text", " either", " way"];
        await using var server = await FakeOpenAiServer.StartAsync(Key, chunks);
        var sdk = new OpenAI.OpenAIClient(new System.ClientModel.ApiKeyCredential(Key), new OpenAI.OpenAIClientOptions { Endpoint = server.Endpoint })
            .GetChatClient("gpt-4o-mini").AsIChatClient();
        ChatMessage[] messages = [new(ChatRole.User, "x")];

        var direct = await Client(sdk, server.Endpoint, Key).GetStreamingResponseAsync(messages).ToChatResponseAsync();
        var throughSdk = await sdk.GetStreamingResponseAsync(messages).ToChatResponseAsync();

        Assert.Equal(throughSdk.Text, direct.Text);
        Assert.Equal(throughSdk.FinishReason, direct.FinishReason);
        Assert.Equal(throughSdk.ModelId, direct.ModelId);
        Assert.Equal(throughSdk.ResponseId, direct.ResponseId);
        Assert.Equal(
            (throughSdk.Usage!.InputTokenCount, throughSdk.Usage.OutputTokenCount, throughSdk.Usage.TotalTokenCount),
            (direct.Usage!.InputTokenCount, direct.Usage.OutputTokenCount, direct.Usage.TotalTokenCount));
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(server.Requests[1].ToJsonString(), server.Requests[0].ToJsonString());
    }

    public static TheoryData<string> NotPlain => ["tools", "response format", "stop sequences", "image content", "tool role"];

    [Theory]
    [MemberData(nameof(NotPlain))]
    public async Task Calls_that_are_not_plain_text_go_to_the_wrapped_client(string what)
    {
        await using var server = await FakeOpenAiServer.StartAsync(Key, ["never"]);
        var inner = new RecordingChatClient();
        using var client = Client(inner, server.Endpoint, Key);
        List<ChatMessage> messages = [new(ChatRole.User, "x")];
        var options = new ChatOptions();
        switch (what)
        {
            case "tools":
                options.Tools = [AIFunctionFactory.Create(() => "ok", "probe")];
                break;
            case "response format":
                options.ResponseFormat = ChatResponseFormat.Json;
                break;
            case "stop sequences":
                options.StopSequences = ["\n"];
                break;
            case "image content":
                messages.Add(new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "image/png")]));
                break;
            default:
                messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "42")]));
                break;
        }

        var updates = await ToListAsync(client.GetStreamingResponseAsync(messages, options));

        Assert.Equal(1, inner.Calls);
        Assert.Equal("from the wrapped client", Assert.Single(updates).Text);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_refused_request_is_handed_to_the_wrapped_client_which_reports_it()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Key, ["never"]);
        var inner = new RecordingChatClient();
        using var client = Client(inner, server.Endpoint, "sk-wrong-key-9e2f");

        var updates = await ToListAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "x")]));

        Assert.Single(server.Requests);
        Assert.Equal(1, inner.Calls);
        Assert.Equal("from the wrapped client", Assert.Single(updates).Text);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_handed_to_the_wrapped_client()
    {
        var inner = new RecordingChatClient();
        using var client = Client(inner, new Uri("http://127.0.0.1:9/v1"), Key);

        var updates = await ToListAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "x")]));

        Assert.Equal(1, inner.Calls);
        Assert.Single(updates);
    }

    [Fact]
    public async Task An_error_inside_the_stream_ends_it_with_the_providers_message_after_the_text_before_it()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Key, [], rawFrames:
        [
            """{"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"Partial"},"finish_reason":null}]}""",
            """{"error":{"message":"The server is overloaded.","type":"server_error","code":null}}""",
        ]);
        var inner = new RecordingChatClient();
        using var client = Client(inner, server.Endpoint, Key);
        var texts = new List<string>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "x")]))
            {
                texts.Add(update.Text);
            }
        });

        Assert.Equal(["Partial"], texts);
        Assert.Equal("the model's stream reported an error: server_error: The server is overloaded.", error.Message);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, inner.Calls);
    }

    [Theory]
    [InlineData("""{"id":"c1","choices":[{"delta":{"content":"a"}""", "not valid JSON", """{"id":"c1",""")]
    [InlineData("not json at all", "not valid JSON (line 1, byte ", "not json at all")]
    [InlineData("""{"choices":[{"delta":{"content":"a"}}],}""", "not valid JSON", """{"choices":""")]
    public async Task A_chunk_that_is_not_json_fails_the_stream_saying_where_and_showing_it(string frame, string problem, string shown)
    {
        await using var server = await FakeOpenAiServer.StartAsync(Key, [], rawFrames: [frame, "[DONE]"]);
        using var client = Client(new RecordingChatClient(), server.Endpoint, Key);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ToListAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "x")])));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(shown, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chunks_without_content_and_unknown_fields_are_passed_over_and_done_ends_the_stream()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Key, [], rawFrames:
        [
            """{"id":"c2","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"error":null}""",
            """{"id":"c2","choices":[{"index":0,"delta":{"content":"Hi","refusal":null,"extra":{"nested":[1,2]}},"finish_reason":null}],"future_field":[{"x":1}]}""",
            """{"id":"c2","choices":[],"usage":null}""",
            """{"id":"c2","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}""",
            "[DONE]",
            """{"id":"c2","choices":[{"index":0,"delta":{"content":"after done"}}]}""",
        ]);
        using var client = Client(new RecordingChatClient(), server.Endpoint, Key);

        var updates = await ToListAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "x")]));

        Assert.Equal(["Hi", string.Empty], updates.Select(u => u.Text));
        Assert.Equal(ChatFinishReason.Length, updates[1].FinishReason);
    }

    [Fact]
    public async Task A_stream_that_goes_silent_fails_after_the_idle_timeout_naming_the_endpoint_without_the_key()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Key, ["a", "b"], chunkDelay: TimeSpan.FromSeconds(5));
        var inner = new RecordingChatClient();
        using var client = new OpenAiDirectStreamingClient(inner, _http, server.Endpoint, Key, "gpt-4o-mini", TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => ToListAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "x")])));

        Assert.Equal($"the model's stream sent nothing for 0.3 s ({server.Endpoint.AbsoluteUri}/chat/completions)", error.Message);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task Cancelling_mid_stream_stops_it()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Key, ["a", "b", "c", "d"], chunkDelay: TimeSpan.FromMilliseconds(200));
        using var client = Client(new RecordingChatClient(), server.Endpoint, Key);
        using var cancel = new CancellationTokenSource();
        var texts = new List<string>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "x")], null, cancel.Token))
            {
                texts.Add(update.Text);
                await cancel.CancelAsync();
            }
        });

        Assert.Equal(["a"], texts);
    }

    private OpenAiDirectStreamingClient Client(IChatClient inner, Uri endpoint, string key) => new(inner, _http, endpoint, key, "gpt-4o-mini");

    private static async Task<List<ChatResponseUpdate>> ToListAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }

    private sealed class RecordingChatClient : IChatClient
    {
        public int Calls { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Calls++;
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "from the wrapped client");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
