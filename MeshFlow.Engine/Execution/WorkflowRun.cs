using System.Runtime.CompilerServices;
using MeshFlow.Events;
using MeshFlow.Runs;
using MeshFlow.Workflows;

namespace MeshFlow.Execution;

/// <summary>A run in flight: read its events as they happen, await its result, or cancel it.</summary>
public sealed class WorkflowRun
{
    private readonly RunEventStream _events;
    private readonly CancellationTokenSource _cancellation;

    internal WorkflowRun(string runId, Workflow workflow, RunEventStream events, CancellationTokenSource cancellation)
    {
        RunId = runId;
        Workflow = workflow;
        _events = events;
        _cancellation = cancellation;
    }

    /// <summary>The run's id.</summary>
    public string RunId { get; }

    /// <summary>The workflow being run.</summary>
    public Workflow Workflow { get; }

    /// <summary>The run's result, once it ends; it never faults: failures are a status with an error.</summary>
    public Task<RunResult> Completion { get; internal set; } = null!;

    /// <summary>The run's events in sequence order, ending with <c>run_end</c>. One reader only.</summary>
    public IAsyncEnumerable<MeshEvent> Events => ReadEventsAsync();

    /// <summary>Reads the run's events in sequence order, ending with <c>run_end</c>. One reader only.</summary>
    public async IAsyncEnumerable<MeshEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = _events.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var evt))
            {
                yield return evt;
            }
        }
    }

    /// <summary>
    /// Reads the run's events in batches, in sequence order: each batch holds the events that were ready when the
    /// reader woke (at most <paramref name="maxBatch"/>). A relay uses it to send what piled up while it was busy in
    /// one go. The list is the reader's until it asks for the next batch. One reader only.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<MeshEvent>> ReadEventBatchesAsync(int maxBatch = 256,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        var reader = _events.Reader;
        var batch = new List<MeshEvent>();
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (batch.Count < maxBatch && reader.TryRead(out var evt))
            {
                batch.Add(evt);
            }

            yield return batch;
            batch.Clear();
        }
    }

    /// <summary>Asks the run to stop; it ends <see cref="RunStatus.Cancelled"/> once running steps have stopped.</summary>
    public void Cancel()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run has already ended: there is nothing left to cancel.
        }
    }
}
