using System.Text.Json;
using MeshFlow.Approvals;
using MeshFlow.Declarative;
using MeshFlow.Execution;
using MeshFlow.Ledger;
using MeshFlow.Runtime;
using MeshFlow.Runtime.InProcess;
using MeshFlow.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace MeshFlow.Tests.Approvals;

/// <summary>
/// The whole approval loop on the embedded implementations: a real SQLite ledger, the in-process queue and bus, the
/// worker's processor, the desk reviewers decide at, and the timeout watcher, all on one fake clock.
/// </summary>
internal sealed class ApprovalHarness : IAsyncDisposable
{
    public const string Tenant = "acme";

    private readonly TestLedger _test;

    private ApprovalHarness(TestLedger test, IEnumerable<AIFunction> tools)
    {
        _test = test;
        var options = new MeshFlowEngineOptions { Ledger = test.Ledger, TimeProvider = Time, PublicUrl = "https://meshflow.test" };
        foreach (var tool in tools)
        {
            options.Tools.Add(tool);
        }

        Engine = new MeshFlowEngine(options);
        Submitter = new RunSubmitter(test.Ledger, Queue, Time);
        Processor = new RunProcessor(Engine, Queue, Events, new InProcessRunSignals(), new RunProcessorOptions { Consumer = "test" });
        Desk = new ApprovalDesk(test.Ledger, Queue, Events, Time, "https://meshflow.test");
        Watcher = new ApprovalTimeoutWatcher(Desk, "watcher-1");
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-12-07T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public InProcessRunQueue Queue { get; } = new();

    public InProcessRunEventBus Events { get; } = new();

    public MeshFlowEngine Engine { get; }

    public RunSubmitter Submitter { get; }

    public RunProcessor Processor { get; }

    public ApprovalDesk Desk { get; }

    public ApprovalTimeoutWatcher Watcher { get; }

    public AuditLedger Ledger => _test.Ledger;

    public ILedgerStore Store => _test.Store;

    public IApprovalStore Approvals => (IApprovalStore)_test.Store;

    public static async Task<ApprovalHarness> OpenAsync(params AIFunction[] tools) => new(await TestLedger.OpenSqliteAsync(), tools);

    public async Task<string> SubmitAsync(string definition, string input = "the clause")
    {
        var submitted = await Submitter.SubmitAsync(new RunSubmission
        {
            TenantId = Tenant, Workflow = WorkflowYaml.Load(definition), Definition = definition, Input = input,
        });
        return submitted.RunId;
    }

    /// <summary>Takes the next queue entry and processes it, as a worker does.</summary>
    public async Task<RunResult?> ProcessNextAsync()
    {
        var runs = await Queue.ReadAsync("test", 1, TestTimeouts.Default, TestContext.Current.CancellationToken);
        return await Processor.ProcessAsync(Assert.Single(runs), TestContext.Current.CancellationToken);
    }

    public Task<ApprovalOutcome> DecideAsync(string runId, string decision, string reviewer = "dr.lee", string? notes = "checked") =>
        Desk.DecideAsync(Tenant, runId, decision, reviewer, notes, cancellationToken: TestContext.Current.CancellationToken);

    public Task<IReadOnlyList<LedgerRecord>> RecordsAsync(string runId) => Store.ReadRecordsAsync(Tenant, runId);

    public async Task<List<JsonElement>> EventsAsync(string runId)
    {
        var events = new List<JsonElement>();
        await foreach (var evt in Events.ReadKeptAsync(Tenant, runId, 0, TestContext.Current.CancellationToken))
        {
            events.Add(JsonDocument.Parse(evt.Json).RootElement.Clone());
        }

        return events;
    }

    public ValueTask DisposeAsync() => _test.DisposeAsync();
}
