using System.Runtime.CompilerServices;

namespace MeshFlow.Runtime;

/// <summary>Reading a run's whole kept history from an <see cref="IRunEventBus"/>.</summary>
public static class RunEventBusExtensions
{
    /// <summary>
    /// Every kept event of the run after <paramref name="afterSeq"/>, across its pauses: a run that paused and resumed
    /// has a <c>run_end</c> (status <c>paused</c>) for each pause, and a reader of the bus stops at each one.
    /// </summary>
    public static async IAsyncEnumerable<RunEventEnvelope> ReadKeptAsync(this IRunEventBus bus, string tenantId, string runId, long afterSeq,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bus);
        var after = afterSeq;
        while (true)
        {
            var any = false;
            await foreach (var evt in bus.ReadAsync(tenantId, runId, after, follow: false, cancellationToken).ConfigureAwait(false))
            {
                any = true;
                after = evt.Seq;
                yield return evt;
            }

            if (!any)
            {
                yield break;
            }
        }
    }
}
