using System.Globalization;
using MeshFlow.LoadTest.Topology;

namespace MeshFlow.LoadTest.Measurements;

/// <summary>A process's resident memory: the median of a few reads of <c>/proc/&lt;pid&gt;/status</c>, a moment apart.</summary>
internal readonly record struct MemorySample(long RssKiB, long AnonKiB)
{
    private const int Reads = 5;
    private static readonly TimeSpan Apart = TimeSpan.FromMilliseconds(200);

    public static async Task<MemorySample> ReadAsync(int pid, CancellationToken cancellationToken)
    {
        var reads = new List<(long Rss, long Anon)>();
        for (var i = 0; i < Reads; i++)
        {
            if (i > 0)
            {
                await Task.Delay(Apart, cancellationToken);
            }

            reads.Add(ProcessTree.Memory(pid));
        }

        return new MemorySample(reads.Select(r => r.Rss).Order().ElementAt(Reads / 2), reads.Select(r => r.Anon).Order().ElementAt(Reads / 2));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"VmRSS {RssKiB / 1024.0:F1} MiB (RssAnon {AnonKiB / 1024.0:F1} MiB)");
}
