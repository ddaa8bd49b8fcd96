namespace MeshFlow.Runtime;

/// <summary>One event of a run as it travels: its sequence number, kind and wire JSON (serialized once, relayed as is).</summary>
/// <param name="Seq">The event's sequence number in its run: 1-based, increasing, kept across workers.</param>
/// <param name="Kind">The event kind's wire name, such as <c>token_delta</c>.</param>
/// <param name="Json">The event in the one MeshEvent JSON shape.</param>
public sealed record RunEventEnvelope(long Seq, string Kind, string Json)
{
    /// <summary>Whether this event ends its run's stream (<c>run_end</c>).</summary>
    public bool IsTerminal => Kind == Events.MeshEventKinds.RunEnd;
}
