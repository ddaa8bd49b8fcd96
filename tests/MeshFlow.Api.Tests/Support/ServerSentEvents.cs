using System.Text.Json;

namespace MeshFlow.Tests.Http;

/// <summary>One server-sent event as it arrived: its id, event name and JSON data.</summary>
public sealed record ServerSentEvent(long Id, string Event, JsonElement Data)
{
    /// <summary>The MeshEvent's kind.</summary>
    public string Kind => Data.GetProperty("kind").GetString()!;

    /// <summary>The MeshEvent's step id, if any.</summary>
    public string? StepId => Data.TryGetProperty("step_id", out var step) ? step.GetString() : null;
}

/// <summary>Reads a <c>text/event-stream</c> body event by event (comments and keep-alives skipped).</summary>
public static class ServerSentEvents
{
    /// <summary>The events of a stream, as they arrive, until the stream ends.</summary>
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream body, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body);
        long id = 0;
        string? name = null;
        string? data = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    using var document = JsonDocument.Parse(data);
                    yield return new ServerSentEvent(id, name ?? "message", document.RootElement.Clone());
                }

                (name, data) = (null, null);
                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    data = data is null ? value : data + "\n" + value;
                    break;
            }
        }
    }

    /// <summary>Every event of a stream until it ends.</summary>
    public static async Task<List<ServerSentEvent>> ReadAllAsync(Stream body, CancellationToken cancellationToken)
    {
        var events = new List<ServerSentEvent>();
        await foreach (var evt in ReadAsync(body, cancellationToken))
        {
            events.Add(evt);
        }

        return events;
    }
}
