using MeshFlow.Events;
using MeshFlow.Execution;

namespace MeshFlow.Tests.Execution;

public sealed class RunEventStreamTests
{
    [Fact]
    public async Task Inline_delivery_continues_a_waiting_reader_on_the_publishing_thread_in_order()
    {
        var stream = new RunEventStream(capture: true, TimeProvider.System, inline: true);
        var seen = new List<(long Seq, int Thread)>();
        var reading = ReadAsync(stream, seen);

        // The reader is waiting: each publication runs it before Publish returns.
        var publisher = await Task.Run(() =>
        {
            for (var i = 0; i < 5; i++)
            {
                stream.Publish(Delta(i));
                Assert.Equal(i + 1, seen.Count);
            }

            stream.Complete();
            return Environment.CurrentManagedThreadId;
        });

        await reading;
        Assert.Equal([1, 2, 3, 4, 5], seen.Select(s => s.Seq));
        Assert.All(seen, s => Assert.Equal(publisher, s.Thread));
    }

    [Fact]
    public async Task By_default_a_waiting_reader_is_not_run_by_the_publisher()
    {
        var stream = new RunEventStream(capture: true, TimeProvider.System);
        var gate = new ManualResetEventSlim();
        var seen = new List<(long Seq, int Thread)>();
        var reading = ReadAsync(stream, seen, gate);

        await Task.Run(() =>
        {
            stream.Publish(Delta(0));
            // Publish returned without running the reader (which, run inline, would have waited on the gate here).
            Assert.Empty(seen);
            gate.Set();
            stream.Complete();
        });

        await reading;
        Assert.Equal(1, Assert.Single(seen).Seq);
    }

    private static async Task ReadAsync(RunEventStream stream, List<(long Seq, int Thread)> seen, ManualResetEventSlim? gate = null)
    {
        var reader = stream.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            gate?.Wait(TimeSpan.FromSeconds(10));
            while (reader.TryRead(out var evt))
            {
                seen.Add((evt.Seq, Environment.CurrentManagedThreadId));
            }
        }
    }

    private static TokenDeltaEvent Delta(int i) => new() { RunId = "r", NodeId = "n", StepId = "s", Text = $"t{i}" };
}
