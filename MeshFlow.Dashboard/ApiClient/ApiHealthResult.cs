namespace MeshFlow.Dashboard.ApiClient;

/// <summary>What the dashboard learned from the API: its health body, or why it could not get one.</summary>
public sealed record ApiHealthResult
{
    private ApiHealthResult(ApiHealth? health, string? error)
    {
        Health = health;
        Error = error;
    }

    public ApiHealth? Health { get; }

    public string? Error { get; }

    public static ApiHealthResult Reachable(ApiHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        return new(health, null);
    }

    public static ApiHealthResult Unreachable(string error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return new(null, error);
    }
}
