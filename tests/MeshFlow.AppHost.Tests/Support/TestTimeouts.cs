using System.Globalization;

namespace MeshFlow.AppHost.Tests.Support;

/// <summary>Every wait in a test has a timeout, multiplied by <c>MESHFLOW_TEST_TIMEOUT_SCALE</c> on slow CI machines.</summary>
internal static class TestTimeouts
{
    private static readonly int Scale =
        int.TryParse(Environment.GetEnvironmentVariable("MESHFLOW_TEST_TIMEOUT_SCALE"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var scale) && scale > 0
            ? scale
            : 1;

    /// <summary>A single request or query.</summary>
    public static TimeSpan Default { get; } = TimeSpan.FromSeconds(30 * Scale);

    /// <summary>How long a run through the topology may take, a worker's death and takeover included.</summary>
    public static TimeSpan Run { get; } = TimeSpan.FromSeconds(90 * Scale);

    /// <summary>Booting the whole AppHost: initdb, servers, five .NET services.</summary>
    public static TimeSpan Boot { get; } = TimeSpan.FromSeconds(180 * Scale);
}
