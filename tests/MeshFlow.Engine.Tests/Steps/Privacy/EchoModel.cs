using MeshFlow.Tests.Support;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Steps.Privacy;

/// <summary>A model that repeats the last user message it was given, streamed in pieces of a fixed size.</summary>
internal static class EchoModel
{
    public static DelegateChatClient Create(int chunk = 7, string prefix = "") =>
        new((messages, _, ct) => DelegateChatClient.Yield(Chunks(prefix + messages.Last(m => m.Role == ChatRole.User).Text, chunk), ct));

    public static IEnumerable<string> Chunks(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }
}
