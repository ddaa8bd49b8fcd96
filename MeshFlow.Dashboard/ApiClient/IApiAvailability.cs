namespace MeshFlow.Dashboard.ApiClient;

/// <summary>Whether the API answers, as the dashboard last saw it; the "API unreachable" banner follows it.</summary>
public interface IApiAvailability
{
    bool IsReachable { get; }

    /// <summary>Why the API is unreachable; null while it answers.</summary>
    string? Problem { get; }

    event Action? Changed;

    void ReportReachable();

    void ReportUnreachable(string problem);
}
