namespace MeshFlow.Api.Tests.Support;

internal static class StartupFailure
{
    /// <summary>Every message in <paramref name="exception"/> and its inner exceptions, one per line.</summary>
    public static string MessagesOf(Exception exception)
    {
        var messages = new List<string>();
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var current))
        {
            messages.Add(current.Message);
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }

        return string.Join(Environment.NewLine, messages);
    }
}
