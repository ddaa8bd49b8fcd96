using System.Runtime.CompilerServices;
using MeshFlow.Cli.Embedded;
using MeshFlow.Events;
using MeshFlow.Runtime;

namespace MeshFlow.Cli.Runs;

/// <summary>
/// A run executed in this process the way a server's embedded worker executes one: recorded by the submitter
/// (<c>run_start</c> with its definition), taken off the in-process queue and run by the run processor, its events
/// read from the in-process bus.
/// </summary>
internal sealed class EmbeddedRunStream : IRunStream
{
    private readonly EmbeddedMeshFlow _embedded;
    private readonly string _tenantId;
    private readonly Task _processing;

    private EmbeddedRunStream(EmbeddedMeshFlow embedded, string tenantId, string runId, Task processing)
    {
        _embedded = embedded;
        _tenantId = tenantId;
        RunId = runId;
        _processing = processing;
    }

    public string RunId { get; }

    public string ApprovalHint =>
        $"it waits in {_embedded.DataDirectory}: serve that folder ('meshflow serve --data-dir {_embedded.DataDirectory}') and decide with " +
        $"'meshflow admin approvals approve {RunId} --url http://localhost:5180' (or 'reject'); the server resumes it";

    public static async Task<EmbeddedRunStream> StartAsync(EmbeddedMeshFlow embedded, RunSubmission submission, CancellationToken cancellationToken)
    {
        var submitted = await embedded.Submitter.SubmitAsync(submission, cancellationToken);
        var deliveries = await embedded.Queue.ReadAsync(embedded.ProcessorOptions.Consumer, 1, TimeSpan.FromSeconds(5), cancellationToken);
        if (deliveries is not [var delivery] || delivery.Request.RunId != submitted.RunId)
        {
            throw new CliException($"run '{submitted.RunId}' was recorded but not queued in this process; a server on {embedded.DataDirectory} would resume it");
        }

        // Not cut short by Ctrl+C: a cancellation is asked of the run (RequestCancelAsync), which then ends recorded.
        var processing = Task.Run(() => embedded.Processor.ProcessAsync(delivery, CancellationToken.None), CancellationToken.None);
        return new EmbeddedRunStream(embedded, submission.TenantId, submitted.RunId, processing);
    }

    public async IAsyncEnumerable<MeshEvent> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A processor that fails never publishes run_end: its failure stops the reading instead.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ = _processing.ContinueWith(static (task, state) => ((CancellationTokenSource)state!).Cancel(), stop,
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        await using var events = _embedded.Events.ReadAsync(_tenantId, RunId, 0, follow: true, stop.Token).GetAsyncEnumerator(stop.Token);
        while (true)
        {
            bool more;
            try
            {
                more = await events.MoveNextAsync();
            }
            catch (OperationCanceledException) when (_processing.IsFaulted && !cancellationToken.IsCancellationRequested)
            {
                var failure = _processing.Exception!.GetBaseException();
                throw new CliException($"run '{RunId}' failed in this process: {failure.Message}", CliExitCodes.Failure, failure);
            }

            if (!more)
            {
                break;
            }

            if (MeshEvents.Parse(events.Current.Json) is not { } evt)
            {
                continue;
            }

            yield return evt;
            if (evt is RunEndEvent)
            {
                break;
            }
        }

        // The outcome is committed before run_end is published; the processor then only acknowledges the entry.
        await _processing.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
    }

    public Task RequestCancelAsync(CancellationToken cancellationToken) => _embedded.Signals.RequestCancelAsync(_tenantId, RunId, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _processing.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        catch (Exception)
        {
            // Reported where it mattered (ReadAsync); what is unfinished, a server on the folder resumes.
        }
    }
}
