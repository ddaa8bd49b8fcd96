namespace MeshFlow.Dashboard.BrowserTests.Support;

/// <summary>How long a test waits for anything that could hang; scaled up on shared machines and CI.</summary>
internal static class TestTimeouts
{
    private static readonly double Scale =
        double.TryParse(Environment.GetEnvironmentVariable("MESHFLOW_TEST_TIMEOUT_SCALE"), System.Globalization.CultureInfo.InvariantCulture, out var scale) && scale > 0
            ? scale
            : 1;

    public static TimeSpan Default { get; } =
        TimeSpan.FromSeconds((Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ? 90 : 30) * Scale);

    /// <summary>The same, for Playwright's millisecond timeouts.</summary>
    public static float DefaultMilliseconds => (float)Default.TotalMilliseconds;
}
