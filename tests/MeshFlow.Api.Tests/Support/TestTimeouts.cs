namespace MeshFlow.Api.Tests.Support;

/// <summary>How long a test waits for anything that could hang; longer on CI, where machines are shared.</summary>
internal static class TestTimeouts
{
    public static TimeSpan Default { get; } =
        TimeSpan.FromSeconds(Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ? 90 : 30);
}
