namespace MeshFlow.Tools.Sandbox;

/// <summary>Hands each sandbox a user id of its own from <see cref="SandboxOptions.SandboxUidStart"/>'s range.</summary>
internal static class SandboxUids
{
    // A random start keeps two services on one host (or a restarted one) from walking the range in step.
    private static long _next = Random.Shared.Next();

    /// <summary>An id of the range that no process runs under now.</summary>
    public static int Next(SandboxOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SandboxUidStart, 1000);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SandboxUidCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)options.SandboxUidStart + options.SandboxUidCount, int.MaxValue);
        var busy = SandboxProcessTable.Snapshot().Select(e => e.Uid).ToHashSet();
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var uid = (int)(options.SandboxUidStart + (Interlocked.Increment(ref _next) % options.SandboxUidCount));
            if (!busy.Contains(uid))
            {
                return uid;
            }
        }

        throw new InvalidOperationException("no free sandbox user id");
    }
}
