using System.Text.Json.Serialization;

namespace MeshFlow.Events;

/// <summary>
/// One event of a run, in the single shape shared by SSE, NDJSON, the SDKs and the Dashboard:
/// <c>{"seq", "run_id", "kind", "ts", "node_id", "step_id", "agent_id", "data"}</c>.
/// </summary>
/// <remarks>
/// <para><see cref="Seq"/> is assigned by the run, starts at 1 and increases by one per event, so a client can
/// resume after the last sequence number it saw.</para>
/// <para>For a step, every <see cref="TokenDeltaEvent"/> precedes its <see cref="StepEndEvent"/>, and the
/// concatenated deltas equal the step's output.</para>
/// </remarks>
[JsonConverter(typeof(MeshEventJsonConverter))]
public abstract record MeshEvent
{
    private long _seq;
    private DateTimeOffset _timestamp;

    /// <summary>The event's position in its run (1-based, gapless).</summary>
    public long Seq { get => _seq; init => _seq = value; }

    /// <summary>The run the event belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>When the event was produced.</summary>
    public DateTimeOffset Timestamp { get => _timestamp; init => _timestamp = value; }

    /// <summary>The node the event concerns, when it concerns one.</summary>
    public string? NodeId { get; init; }

    /// <summary>The step the event concerns, when it concerns one.</summary>
    public string? StepId { get; init; }

    /// <summary>The agent behind the step, when there is one.</summary>
    public string? AgentId { get; init; }

    /// <summary>The wire name of the event kind, such as <c>token_delta</c>.</summary>
    public abstract string Kind { get; }

    // The run stamps an event as it publishes it, under the lock that keeps sequence order and channel order equal.
    internal void Stamp(long seq, DateTimeOffset timestamp)
    {
        _seq = seq;
        _timestamp = timestamp;
    }
}
