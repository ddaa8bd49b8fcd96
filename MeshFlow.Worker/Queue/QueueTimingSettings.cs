using System.Globalization;
using MeshFlow.Distributed.Redis;
using MeshFlow.ServiceDefaults.Startup;

namespace MeshFlow.Worker.Queue;

/// <summary>
/// How soon a dead worker's runs move to another: <c>MESHFLOW_CLAIM_IDLE_SECONDS</c> (an entry not renewed for this
/// long is reclaimed; default 30) and <c>MESHFLOW_LEASE_SECONDS</c> (a run's execution lease; default 30).
/// </summary>
public static class QueueTimingSettings
{
    /// <summary>The configuration key of the claim idle time in seconds.</summary>
    public const string ClaimIdleSecondsKey = "MESHFLOW_CLAIM_IDLE_SECONDS";

    /// <summary>The configuration key of the lease time in seconds.</summary>
    public const string LeaseSecondsKey = "MESHFLOW_LEASE_SECONDS";

    /// <summary>Applies the configured timings; live consumers renew their entries three times per claim idle time.</summary>
    /// <exception cref="MeshFlowConfigurationException">A setting is not a positive number of seconds.</exception>
    public static void Apply(IConfiguration configuration, RedisRunQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        if (Seconds(configuration, ClaimIdleSecondsKey) is { } claimIdle)
        {
            options.ClaimIdleTime = claimIdle;
            options.RenewInterval = TimeSpan.FromTicks(Math.Min(options.RenewInterval.Ticks, claimIdle.Ticks / 3));
        }

        if (Seconds(configuration, LeaseSecondsKey) is { } lease)
        {
            options.LeaseTime = lease;
        }
    }

    private static TimeSpan? Seconds(IConfiguration configuration, string key) =>
        configuration[key] is not { Length: > 0 } text ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds)
        : throw new MeshFlowConfigurationException($"{key} must be a positive number of seconds, not '{text}'.");
}
