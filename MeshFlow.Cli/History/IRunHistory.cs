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

    /// <summary>The run's evidence bundle, as UTF-8 JSON (<c>GET /traces/{run_id}/export</c>).</summary>
    Task<byte[]> ExportAsync(string runId, bool hashesOnly, CancellationToken cancellationToken);

    /// <summary>The public key new heads are signed with: its id and the base64 of its 32 bytes (<c>GET /ledger/keys</c>).</summary>
    Task<(string KeyId, string PublicKey)> ReadSigningKeyAsync(CancellationToken cancellationToken);
}
