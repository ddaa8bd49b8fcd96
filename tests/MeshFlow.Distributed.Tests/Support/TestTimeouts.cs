namespace MeshFlow.Distributed.Tests.Support;

/// <summary>Every wait in a test has a timeout, scaled up on slow CI machines.</summary>
internal static class TestTimeouts
{
    public static TimeSpan Default { get; } = TimeSpan.FromSeconds(
        60 * (int.TryParse(Environment.GetEnvironmentVariable("MESHFLOW_TEST_TIMEOUT_SCALE"), out var scale) && scale > 0 ? scale : 1));
}
