using System.Globalization;

namespace MeshFlow.Api.Tests.Support;

/// <summary>
/// How long a test waits for anything that could hang; longer on CI, where machines are shared, and multiplied by
/// <c>MESHFLOW_TEST_TIMEOUT_SCALE</c> on slow machines.
/// </summary>
internal static class TestTimeouts
{
    private static readonly int Scale =
        int.TryParse(Environment.GetEnvironmentVariable("MESHFLOW_TEST_TIMEOUT_SCALE"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var scale) && scale > 0
            ? scale
            : 1;

    public static TimeSpan Default { get; } =
        TimeSpan.FromSeconds((Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ? 90 : 30) * Scale);
}
