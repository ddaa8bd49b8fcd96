using MeshFlow.Distributed.Redis;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>Queue options for tests: keys of their own, and a dead consumer's entries and leases lapse in seconds.</summary>
internal static class RedisTestOptions
{
    private static readonly int Scale =
        int.TryParse(Environment.GetEnvironmentVariable("MESHFLOW_TEST_TIMEOUT_SCALE"), out var scale) && scale > 0 ? scale : 1;

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewPrefix() => "test-" + Guid.NewGuid().ToString("N");

    /// <summary>Claim after 2 s idle and leases of 2 s (times MESHFLOW_TEST_TIMEOUT_SCALE), renewed well within that.</summary>
    public static RedisRunQueueOptions FastQueue() => new()
    {
        KeyPrefix = NewPrefix(),
        ClaimIdleTime = TimeSpan.FromSeconds(2 * Scale),
        RenewInterval = TimeSpan.FromMilliseconds(200),
        LeaseTime = TimeSpan.FromSeconds(2 * Scale),
    };
}
