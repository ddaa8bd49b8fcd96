namespace MeshFlow.ServiceDefaults.Health;

/// <summary>Measures how long the service has been up, on the injected clock.</summary>
public sealed class ServiceUptime(TimeProvider timeProvider)
{
    private readonly long _startedAt = timeProvider.GetTimestamp();

    public TimeSpan Elapsed => timeProvider.GetElapsedTime(_startedAt);
}
