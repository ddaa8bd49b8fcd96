using System.Threading.Channels;
using MeshFlow.Events;
using MeshFlow.Privacy;

namespace MeshFlow.Execution;

/// <summary>
/// A run's events: stamped with a gapless sequence number and written to one reader in sequence order, even when
/// concurrent branches publish at once.
/// </summary>
internal sealed class RunEventStream
{
    private readonly Lock _gate = new();
    private readonly Channel<MeshEvent>? _channel;
    private readonly TimeProvider _time;
    private long _seq;

    /// <param name="capture">Whether events are kept for a reader at all.</param>
    /// <param name="time">The clock that stamps them.</param>
    /// <param name="inline">Whether a waiting reader continues on the publishing thread (see <c>RunOptions.DeliverEventsInline</c>).</param>
    public RunEventStream(bool capture, TimeProvider time, bool inline = false)
    {
        _time = time;
        if (capture)
        {
            _channel = Channel.CreateUnbounded<MeshEvent>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = inline });
        }
    }

    public bool Capturing => _channel is not null;

    /// <summary>
    /// What every event goes through before readers see it (secrets stripped, PHI scrubbed), when the run's policy
    /// asks; token deltas and step outputs arrive cleaned from their step.
    /// </summary>
    public SinkFilter? Filter { get; set; }

    public ChannelReader<MeshEvent> Reader =>
        _channel?.Reader ?? throw new InvalidOperationException("this run was started with CaptureEvents = false");

    public void Publish(MeshEvent evt)
    {
        if (_channel is null)
        {
            return;
        }

        if (Filter is { } filter)
        {
            evt = filter.Clean(evt);
        }

        lock (_gate)
        {
            evt.Stamp(++_seq, _time.GetUtcNow());
            _channel.Writer.TryWrite(evt);
        }
    }

    public void Complete() => _channel?.Writer.TryComplete();
}
