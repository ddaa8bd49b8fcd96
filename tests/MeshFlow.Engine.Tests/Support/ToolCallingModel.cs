using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Support;

/// <summary>A model that asks for one tool call, then, with the tool's result in its history, answers with that result.</summary>
internal static class ToolCallingModel
{
    public static DelegateChatClient Calling(string tool, IDictionary<string, object?> arguments, string answer = "Done: ") =>
        new((messages, _, ct) => AnswerAsync(messages, tool, arguments, answer, ct));

    private static async IAsyncEnumerable<ChatResponseUpdate> AnswerAsync(IReadOnlyList<ChatMessage> messages, string tool,
        IDictionary<string, object?> arguments, string answer, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        var result = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().FirstOrDefault();
        if (result is null)
        {
            yield return new ChatResponseUpdate
            {
                Role = ChatRole.Assistant,
                Contents = [new FunctionCallContent("call-1", tool, new Dictionary<string, object?>(arguments))],
            };
            yield break;
        }

        ct.ThrowIfCancellationRequested();
        yield return new ChatResponseUpdate(ChatRole.Assistant, answer + result.Result);
    }
}
