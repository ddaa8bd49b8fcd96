using MeshFlow.Approvals;
using MeshFlow.Declarative;
using MeshFlow.Execution;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;
using MeshFlow.Runs;
using MeshFlow.Runtime;
using MeshFlow.Runtime.InProcess;
using MeshFlow.Tests.Support;

namespace MeshFlow.Tests.Approvals;

/// <summary>A pause lives in the ledger's database: it outlives every process and its queue.</summary>
public sealed class ApprovalRestartTests
{
    private sealed record Process(ILedgerStore Store, AuditLedger Ledger, InProcessRunQueue Queue, InProcessRunEventBus Events, RunProcessor Processor,
        ApprovalDesk Desk, Ed25519LedgerSigner Signer) : IAsyncDisposable
    {
        public static async Task<Process> StartAsync(string path)
        {
            var store = await TestStores.OpenSqliteAsync(path);
            var signer = Ed25519LedgerSigner.Create();
            var ledger = new AuditLedger(store, signer);
            var queue = new InProcessRunQueue();
            var events = new InProcessRunEventBus();
            var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger });
            return new Process(store, ledger, queue, events,
                new RunProcessor(engine, queue, events, new InProcessRunSignals(), new RunProcessorOptions { Consumer = "test" }),
                new ApprovalDesk(ledger, queue, events), signer);
        }

        public async Task<RunResult?> ProcessNextAsync()
        {
            var runs = await Queue.ReadAsync("test", 1, TestTimeouts.Default, TestContext.Current.CancellationToken);
            return await Processor.ProcessAsync(Assert.Single(runs), TestContext.Current.CancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await Store.DisposeAsync();
            Signer.Dispose();
        }
    }

    [Fact]
    public async Task A_pause_survives_a_restart_of_every_process_and_is_approved_afterwards()
    {
        var folder = Path.Combine(Path.GetTempPath(), "meshflow-restart-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "ledger.db");
        try
        {
            string runId;
            long lastEvent;
            await using (var before = await Process.StartAsync(path))
            {
                runId = (await new RunSubmitter(before.Ledger, before.Queue).SubmitAsync(new RunSubmission
                {
                    TenantId = "acme", Workflow = WorkflowYaml.Load(ApprovalFlowTests.Publish), Definition = ApprovalFlowTests.Publish, Input = "x",
                })).RunId;
                Assert.Equal(RunStatus.Paused, (await before.ProcessNextAsync())!.Status);
                lastEvent = await before.Events.LastSeqAsync("acme", runId, TestContext.Current.CancellationToken);
            }

            // Everything restarts: a new process, a new signing key, an empty queue and event bus; only the database remains.
            await using var after = await Process.StartAsync(path);
            var pending = Assert.Single(await after.Desk.Store.ListPendingAsync("acme", 10, TestContext.Current.CancellationToken));
            Assert.Equal(runId, pending.RunId);

            var outcome = await after.Desk.DecideAsync("acme", runId, ApprovalState.Approved, "dr.lee", null, cancellationToken: TestContext.Current.CancellationToken);
            var result = await after.ProcessNextAsync();

            Assert.Equal(ApprovalOutcomeKind.Decided, outcome.Kind);
            Assert.Equal((RunStatus.Completed, "PUBLISHED"), (result!.Status, result.Output));
            Assert.True((await after.Ledger.VerifyAsync("acme", runId, TestContext.Current.CancellationToken)).Valid);

            // The run's events go on from the number its readers last saw, not from 1.
            var events = new List<long>();
            await foreach (var evt in after.Events.ReadKeptAsync("acme", runId, 0, TestContext.Current.CancellationToken))
            {
                events.Add(evt.Seq);
            }

            Assert.True(lastEvent > 0);
            Assert.Equal(Enumerable.Range((int)lastEvent + 1, events.Count).Select(i => (long)i), events);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
