namespace MeshFlow.Dashboard.ApiClient;

/// <summary>The dashboard-wide view of the API's reachability: one for every circuit, since the API is the same.</summary>
public sealed class ApiAvailability : IApiAvailability
{
    private readonly Lock _gate = new();
    private string? _problem;

    public bool IsReachable => Problem is null;

    public string? Problem
    {
        get
        {
            lock (_gate)
            {
                return _problem;
            }
        }
    }

    public event Action? Changed;

    public void ReportReachable() => Set(null);

    public void ReportUnreachable(string problem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(problem);
        Set(problem);
    }

    private void Set(string? problem)
    {
        lock (_gate)
        {
            if (_problem == problem)
            {
                return;
            }

            _problem = problem;
        }

        Changed?.Invoke();
    }
}
