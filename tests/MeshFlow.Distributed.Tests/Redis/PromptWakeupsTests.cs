using MeshFlow.Distributed.Redis;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Testing.Redis;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>
/// Relay threads ask Linux's scheduler for a short slice (Linux 6.12 and later report and honour it): the thread that
/// asks gets it and no other thread does, a thread-pool thread that publishes is left alone, and the event bus's own
/// reading threads (an api's relay, a worker's replies) have asked by the time they read.
/// </summary>
public sealed class PromptWakeupsTests(RedisFixture redis) : IAsyncLifetime
{
    private readonly RedisConnections _connections = new();
    private readonly List<RedisRunEventBus> _buses = [];

    // Where the kernel has no per-thread slice, asking changes nothing and says so.
    private static bool KernelHasSlices => OperatingSystem.IsLinux() && Environment.OSVersion.Version >= new Version(6, 12);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _buses.ForEach(bus => bus.Dispose());
        await _connections.DisposeAsync();
    }

    [Fact]
    public void A_thread_that_asks_gets_the_short_slice_and_the_others_keep_theirs()
    {
        var before = OnNewThread("a", () => PromptWakeups.CurrentSlice());
        var (granted, after) = OnNewThread("b", () => (PromptWakeups.TryRequestSlice(PromptWakeups.Slice), PromptWakeups.CurrentSlice()));
        var untouched = OnNewThread("c", () => PromptWakeups.CurrentSlice());

        Assert.Equal(KernelHasSlices, granted);
        if (KernelHasSlices)
        {
            Assert.Equal(TimeSpan.FromMicroseconds(100), after);
            Assert.NotNull(before);
            Assert.NotEqual(after, before);
            Assert.Equal(before, untouched);
        }
        else
        {
            Assert.Equal(before, after);
        }
    }

    [Theory]
    [InlineData(50)]
    [InlineData(100_001)]
    public void A_slice_outside_the_kernels_range_is_refused(int microseconds)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => PromptWakeups.TryRequestSlice(TimeSpan.FromMicroseconds(microseconds)));

        Assert.Equal("slice", error.ParamName);
    }

    [Fact]
    public void Only_the_runtimes_socket_threads_ask_when_they_publish()
    {
        var pool = OnNewThread("a thread-pool stand-in", () =>
        {
            PromptWakeups.ForSocketThread();
            return PromptWakeups.CurrentSlice();
        });
        var socket = OnNewThread(".NET Sockets", () =>
        {
            PromptWakeups.ForSocketThread();
            return PromptWakeups.CurrentSlice();
        });

        if (KernelHasSlices)
        {
            Assert.NotEqual(PromptWakeups.Slice, pool);
            Assert.Equal(PromptWakeups.Slice, socket);
        }
        else
        {
            Assert.Equal(pool, socket);
        }
    }

    [Fact]
    public async Task The_buses_own_reading_threads_run_with_the_short_slice()
    {
        var prefix = RedisTestOptions.NewPrefix();
        var bus = new RedisRunEventBus(await _connections.ConnectAsync(redis.ConnectionString), keyPrefix: prefix, ownPublishConnection: true, ownSubscribeConnection: true);
        _buses.Add(bus);
        await RedisRunEventBusOwnSubscriberContractTests.SubscriberUpAsync(bus);
        // The publishing connection is made on the first event.
        await bus.PublishAsync("acme", OwnConnections.NewRun(), OwnConnections.Delta(1), TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => bus.PublishesOnOwnConnection);

        // Linux names a thread by the first 15 bytes of its name: "meshflow relay" reads an api's relay, "meshflow acks"
        // a worker's replies. Other tests' buses have such threads too; every one of them must have asked.
        foreach (var name in new[] { "meshflow relay", "meshflow acks" })
        {
            await Eventually.TrueAsync(() =>
            {
                var slices = ThreadsNamed(name).Select(PromptWakeups.SliceOf).ToList();
                return slices.Count > 0 && (!KernelHasSlices || slices.All(slice => slice == PromptWakeups.Slice));
            });
        }
    }

    private static T OnNewThread<T>(string name, Func<T> work)
    {
        T result = default!;
        var thread = new Thread(() => result = work()) { Name = name };
        thread.Start();
        thread.Join();
        return result;
    }

    private static List<int> ThreadsNamed(string name) =>
        [.. Directory.EnumerateDirectories("/proc/self/task")
            .Where(task => File.Exists(Path.Combine(task, "comm")) && ReadName(task) == name)
            .Select(task => int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture))];

    private static string? ReadName(string task)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
        }
        catch (IOException)
        {
            return null; // the thread ended meanwhile
        }
    }
}
