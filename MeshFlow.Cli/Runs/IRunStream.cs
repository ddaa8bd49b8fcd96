using MeshFlow.Events;

namespace MeshFlow.Cli.Runs;

/// <summary>A run this command started, as its events arrive: from a server's <c>POST /stream</c>, or from this process.</summary>
internal interface IRunStream : IAsyncDisposable
{
    string RunId { get; }

    /// <summary>The run's events, up to and including a <c>run_end</c> (which a pause sends too).</summary>
    IAsyncEnumerable<MeshEvent> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Asks the run to stop; it ends <c>cancelled</c> and says so with its own <c>run_end</c>.</summary>
    Task RequestCancelAsync(CancellationToken cancellationToken);

    /// <summary>What to do about a paused run, in one line: where and how to approve or reject it.</summary>
    string ApprovalHint { get; }
}
