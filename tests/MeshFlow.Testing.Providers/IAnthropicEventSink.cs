namespace MeshFlow.Testing.Providers;

/// <summary>Where <see cref="AnthropicWire"/> sends a streamed message's events: an SSE stream, or Bedrock's event stream.</summary>
internal interface IAnthropicEventSink
{
    /// <summary>Sends one event: its type and its JSON (valid only during the call).</summary>
    ValueTask EventAsync(string type, ReadOnlyMemory<byte> json, CancellationToken cancellationToken);

    /// <summary>Ends the stream with an error of <paramref name="type"/>.</summary>
    ValueTask ErrorAsync(string type, string message, CancellationToken cancellationToken);
}
