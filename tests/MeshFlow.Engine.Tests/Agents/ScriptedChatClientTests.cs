using System.Text.Json;
using MeshFlow.Agents;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Agents;

public sealed class ScriptedChatClientTests
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "go")];
    private static readonly string[] Verbose = ["-v"];
    private static readonly int[] NotAnObject = [1, 2];

    private static async Task<List<ChatResponseUpdate>> StreamAsync(ScriptedChatClient client)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Prompt).WithCancellation(TestContext.Current.CancellationToken))
        {
            updates.Add(update);
        }

        return updates;
    }

    [Fact]
    public async Task Text_streams_word_by_word_and_stops()
    {
        var updates = await StreamAsync(new ScriptedChatClient(["Looks good to me."]));

        Assert.Equal(["Looks", " good", " to", " me."], updates.Where(u => u.Text.Length > 0).Select(u => u.Text));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
    }

    [Fact]
    public async Task A_tool_call_streams_one_function_call_with_its_arguments_and_finishes_for_tool_calls()
    {
        var client = new ScriptedChatClient([ScriptedResponse.ToolCall("shell", new { command = "rm -rf /", times = 2, flags = Verbose })]);

        var updates = await StreamAsync(client);

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal(("call_1", "shell"), (call.CallId, call.Name));
        Assert.Equal("rm -rf /", ((JsonElement)call.Arguments!["command"]!).GetString());
        Assert.Equal(2, ((JsonElement)call.Arguments["times"]!).GetInt32());
        Assert.Equal("[\"-v\"]", ((JsonElement)call.Arguments["flags"]!).GetRawText());
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);
        Assert.DoesNotContain(updates, u => u.Text.Length > 0);
    }

    [Fact]
    public async Task Each_tool_call_gets_a_fresh_call_id()
    {
        var client = new ScriptedChatClient([ScriptedResponse.ToolCall("a"), ScriptedResponse.ToolCall("b", new Dictionary<string, object?> { ["x"] = 1 })]);

        var first = (await StreamAsync(client)).SelectMany(u => u.Contents).OfType<FunctionCallContent>().Single();
        var second = (await StreamAsync(client)).SelectMany(u => u.Contents).OfType<FunctionCallContent>().Single();

        Assert.Equal(["call_1", "call_2"], [first.CallId, second.CallId]);
        Assert.Empty(first.Arguments!);
        Assert.Equal(1, ((JsonElement)second.Arguments!["x"]!).GetInt32());
    }

    [Fact]
    public async Task Around_a_function_invoking_client_the_tool_runs_and_the_next_response_answers()
    {
        var calls = new List<string>();
        var shell = AIFunctionFactory.Create((string command) =>
        {
            calls.Add(command);
            return "ok";
        }, "shell");
        var scripted = new ScriptedChatClient([ScriptedResponse.ToolCall("shell", new { command = "ls" }), "Done."]);
        using var client = new FunctionInvokingChatClient(scripted);

        var response = await client.GetResponseAsync(Prompt, new ChatOptions { Tools = [shell] }, TestContext.Current.CancellationToken);

        Assert.Equal(["ls"], calls);
        Assert.Equal("Done.", response.Text);
        Assert.Equal(2, scripted.Calls);
    }

    [Fact]
    public async Task Asking_past_the_last_response_names_how_many_there_were()
    {
        var client = new ScriptedChatClient([ScriptedResponse.ToolCall("shell")], "operator");
        await StreamAsync(client);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StreamAsync(client));

        Assert.Equal("the scripted model of node 'operator' has no response left: it was given 1 and this is call 2", error.Message);
    }

    [Fact]
    public void Tool_call_arguments_must_be_an_object_of_named_values()
    {
        Assert.Throws<ArgumentException>(() => ScriptedResponse.ToolCall("shell", "ls"));
        Assert.Throws<ArgumentException>(() => ScriptedResponse.ToolCall("shell", NotAnObject));
        Assert.Throws<ArgumentException>(() => ScriptedResponse.ToolCall(" ", null));
    }

    [Fact]
    public void Responses_compare_by_content_and_text_converts_from_a_string()
    {
        ScriptedResponse text = "APPROVED";

        Assert.Equal(ScriptedResponse.FromText("APPROVED"), text);
        Assert.Equal("APPROVED", text.ToString());
        Assert.Equal(
            ScriptedResponse.ToolCall("shell", new { command = "ls", n = 1 }),
            ScriptedResponse.ToolCall("shell", new Dictionary<string, object?> { ["n"] = 1, ["command"] = "ls" }));
        Assert.NotEqual(ScriptedResponse.ToolCall("shell", new { command = "ls" }), ScriptedResponse.ToolCall("shell", new { command = "pwd" }));
        Assert.Equal("tool_call shell {\"command\":\"ls\"}", ScriptedResponse.ToolCall("shell", new { command = "ls" }).ToString());
    }
}
