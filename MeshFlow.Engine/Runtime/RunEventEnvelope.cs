using System.Text;

namespace MeshFlow.Runtime;

/// <summary>One event of a run as it travels: its sequence number, kind and wire JSON (serialized once, relayed as is).</summary>
/// <remarks>
/// The JSON is kept in the form it came in: a string from the serializer, or UTF-8 bytes from the network, which a relay
/// writes out as they are (<see cref="TryGetUtf8Json"/>) and decodes only when <see cref="Json"/> is asked for. Two
/// envelopes are equal when their sequence numbers, kinds and JSON are.
/// </remarks>
public sealed record RunEventEnvelope
{
    private readonly byte[]? _utf8Json;
    private string? _json;

    /// <summary>An event whose JSON is a string.</summary>
    /// <param name="seq">The event's sequence number in its run: 1-based, increasing, kept across workers.</param>
    /// <param name="kind">The event kind's wire name, such as <c>token_delta</c>.</param>
    /// <param name="json">The event in the one MeshEvent JSON shape.</param>
    public RunEventEnvelope(long seq, string kind, string json)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(json);
        Seq = seq;
        Kind = kind;
        _json = json;
    }

    /// <summary>An event whose JSON is UTF-8 bytes, which the envelope keeps (the caller must not change them).</summary>
    /// <param name="seq">The event's sequence number in its run.</param>
    /// <param name="kind">The event kind's wire name.</param>
    /// <param name="utf8Json">The event in the one MeshEvent JSON shape, UTF-8 encoded.</param>
    public RunEventEnvelope(long seq, string kind, byte[] utf8Json)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(utf8Json);
        Seq = seq;
        Kind = kind;
        _utf8Json = utf8Json;
    }

    /// <summary>The event's sequence number in its run: 1-based, increasing, kept across workers.</summary>
    public long Seq { get; init; }

    /// <summary>The event kind's wire name, such as <c>token_delta</c>.</summary>
    public string Kind { get; init; }

    /// <summary>The event in the one MeshEvent JSON shape.</summary>
    public string Json => _json ??= Encoding.UTF8.GetString(_utf8Json!);

    /// <summary>Whether this event ends its run's stream (<c>run_end</c>).</summary>
    public bool IsTerminal => Kind == Events.MeshEventKinds.RunEnd;

    /// <summary>The JSON as UTF-8 bytes when it came as bytes; false when it is a string (see <see cref="Json"/>).</summary>
    public bool TryGetUtf8Json(out ReadOnlySpan<byte> utf8Json)
    {
        utf8Json = _utf8Json;
        return _utf8Json is not null;
    }

    /// <inheritdoc />
    public bool Equals(RunEventEnvelope? other) =>
        other is not null && Seq == other.Seq && Kind == other.Kind && Json == other.Json;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Seq, Kind, Json);
}
