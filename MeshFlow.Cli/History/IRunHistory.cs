using System.Text.Json;

namespace MeshFlow.Cli.History;

/// <summary>
/// Where recorded runs are read from: a server's API, or the embedded ledger in the data folder. Both answer in the
/// API's shapes (<c>GET /traces/{run_id}</c>, <c>GET /traces/{run_id}/steps/{step_id}/replay</c>), so every command
/// prints the same thing in either mode.
/// </summary>
internal interface IRunHistory : IAsyncDisposable
{
    /// <summary>Where the runs come from, for messages: the server's URL or the data folder.</summary>
    string Source { get; }

    /// <summary>The most recent runs that match the filter, newest first.</summary>
    Task<IReadOnlyList<RunRow>> ListRunsAsync(RunFilter filter, CancellationToken cancellationToken);

    /// <summary>The run's trace, as <c>GET /traces/{run_id}</c> answers it.</summary>
    Task<JsonDocument> ReadTraceAsync(string runId, CancellationToken cancellationToken);

    /// <summary>One step's full input and output, as <c>GET /traces/{run_id}/steps/{step_id}/replay</c> answers it.</summary>
    Task<JsonDocument> ReadStepAsync(string runId, string stepId, CancellationToken cancellationToken);
}
