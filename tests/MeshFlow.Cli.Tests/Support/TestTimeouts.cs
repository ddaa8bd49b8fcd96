namespace MeshFlow.Cli.Tests.Support;

/// <summary>How long a test waits for anything that could hang; scaled by MESHFLOW_TEST_TIMEOUT_SCALE on shared machines.</summary>
internal static class TestTimeouts
{
    public static TimeSpan Default { get; } = TimeSpan.FromSeconds(
        60 * (int.TryParse(Environment.GetEnvironmentVariable("MESHFLOW_TEST_TIMEOUT_SCALE"), out var scale) && scale > 0 ? scale : 1));
}
