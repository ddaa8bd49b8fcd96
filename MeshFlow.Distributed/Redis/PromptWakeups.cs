using System.Runtime.InteropServices;

namespace MeshFlow.Distributed.Redis;

/// <summary>
/// Asks Linux's scheduler to run the threads that relay tokens soon after they wake: each asks once for a short slice
/// (<see cref="Slice"/>), which the scheduler (EEVDF, Linux 6.12 and later) answers with an earlier deadline, so a
/// woken relay thread preempts a thread that has been running for a while instead of queueing behind it.
/// </summary>
/// <remarks>
/// <para>
/// A token crosses a thread in every process on its way (the worker's thread that reads the model's stream and
/// publishes the token, Redis, the api's thread that reads the relay and writes to the client), and each of them
/// sleeps until its bytes arrive. On a busy machine a woken thread waited for a CPU behind whatever ran there (a
/// database commit, a garbage collection, another process's work): 0.13 to 0.2 ms on average for the api's and the
/// workers' relay threads under 100 paced streams, and in a burst every stream waits with them. A short slice changes
/// which thread runs first, not how much CPU any thread gets: the scheduler's share by weight (nice) is unchanged, and
/// asking for it needs no privilege.
/// </para>
/// <para>
/// Where the kernel has no such request (before 6.12, or not Linux) nothing changes. <c>MESHFLOW_PROMPT_WAKEUPS=0</c>
/// turns the request off, to compare.
/// </para>
/// </remarks>
internal static class PromptWakeups
{
    /// <summary>The slice relay threads ask for: the shortest the kernel grants (0.1 ms).</summary>
    public static readonly TimeSpan Slice = TimeSpan.FromMicroseconds(100);

    /// <summary>The environment variable that turns the request off when it is <c>0</c>.</summary>
    public const string Variable = "MESHFLOW_PROMPT_WAKEUPS";

    private static readonly bool Enabled = Environment.GetEnvironmentVariable(Variable) != "0";

    [ThreadStatic]
    private static bool t_asked;

    /// <summary>The first call on a thread asks for <see cref="Slice"/> (unless turned off); later calls return at once.</summary>
    public static void ForCurrentThread()
    {
        if (t_asked)
        {
            return;
        }

        t_asked = true;
        if (Enabled)
        {
            _ = TryRequestSlice(Slice);
        }
    }

    /// <summary>
    /// <see cref="ForCurrentThread"/> when the calling thread is one of the runtime's socket threads (where socket
    /// completions run inline, <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>), and nothing on any other: a
    /// thread-pool thread that publishes an event also runs work of any size, and a short slice for it would let it
    /// preempt the relay.
    /// </summary>
    public static void ForSocketThread()
    {
        if (!t_asked && Thread.CurrentThread.Name == SocketThreadName)
        {
            ForCurrentThread();
        }
    }

    // The name System.Net.Sockets gives its event-loop threads.
    private const string SocketThreadName = ".NET Sockets";

    /// <summary>
    /// Asks for <paramref name="slice"/> for the calling thread, keeping its policy and nice value. True when the kernel
    /// now reports that slice for it; false where it has no such request (the thread is then left as it was).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slice"/> is outside the kernel's 0.1 to 100 ms.</exception>
    public static bool TryRequestSlice(TimeSpan slice)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slice, TimeSpan.FromMicroseconds(100));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slice, TimeSpan.FromMilliseconds(100));
        if (SyscallNumbers() is not { } numbers || !TryGet(numbers.Get, out var attributes) || attributes.Policy != SchedOther)
        {
            return false;
        }

        attributes.Size = (uint)Marshal.SizeOf<SchedAttr>();
        attributes.Flags = 0;
        attributes.Runtime = (ulong)(slice.Ticks * 100);
        if (SetAttributes(numbers.Set, 0, ref attributes, 0) != 0)
        {
            return false;
        }

        return CurrentSlice() == slice;
    }

    /// <summary>The slice the kernel reports for the calling thread; null where it reports none (or is not Linux).</summary>
    public static TimeSpan? CurrentSlice() => SliceOf(0);

    /// <summary>The slice the kernel reports for thread <paramref name="threadId"/> of any process (0: the calling thread).</summary>
    public static TimeSpan? SliceOf(int threadId) =>
        SyscallNumbers() is { } numbers && TryGet(numbers.Get, out var attributes, threadId) && attributes.Policy == SchedOther && attributes.Runtime > 0
            ? TimeSpan.FromTicks((long)(attributes.Runtime / 100))
            : null;

    private static bool TryGet(long get, out SchedAttr attributes, int threadId = 0)
    {
        attributes = default;
        return GetAttributes(get, threadId, ref attributes, (uint)Marshal.SizeOf<SchedAttr>(), 0) == 0;
    }

    // sched_setattr and sched_getattr have no wrapper in older C libraries: they are called through syscall(2).
    private static (long Set, long Get)? SyscallNumbers() => !OperatingSystem.IsLinux() ? null : RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => (314, 315),
        Architecture.Arm64 => (274, 275),
        _ => null,
    };

    private const uint SchedOther = 0;

    // struct sched_attr (include/uapi/linux/sched/types.h), up to the deadline fields: 48 bytes.
    [StructLayout(LayoutKind.Sequential)]
    private struct SchedAttr
    {
        public uint Size;
        public uint Policy;
        public ulong Flags;
        public int Nice;
        public uint Priority;
        public ulong Runtime;
        public ulong Deadline;
        public ulong Period;
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code enabled in this assembly for two system calls.
    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long SetAttributes(long number, int thread, ref SchedAttr attributes, uint flags);

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long GetAttributes(long number, int thread, ref SchedAttr attributes, uint size, uint flags);
#pragma warning restore SYSLIB1054
}
