using MeshFlow.Approvals;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;

namespace MeshFlow.Tests.Ledger.Contract;

/// <summary>
/// What every <see cref="IApprovalStore"/> must do, run against each ledger store that implements it by subclassing.
/// Runs are started and stepped through <see cref="AuditLedger"/>; the records a pause, a decision or an escalation
/// append are chained on the run's real tail, so the chain must still verify afterwards. Each test makes its own
/// tenants and runs, and looks only at them.
/// </summary>
public abstract partial class ApprovalStoreContractTests<TStore> : IAsyncLifetime
    where TStore : class, ILedgerStore, IApprovalStore
{
    /// <summary>The longest any single wait in these tests may take (scaled by MESHFLOW_TEST_TIMEOUT_SCALE).</summary>
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(
        60 * (int.TryParse(Environment.GetEnvironmentVariable("MESHFLOW_TEST_TIMEOUT_SCALE"), out var scale) && scale > 0 ? scale : 1));

    /// <summary>The store's clock in these tests: pauses, deadlines and outbox times are given, never read from a clock.</summary>
    protected static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly Ed25519LedgerSigner _signer = Ed25519LedgerSigner.Create();

    /// <summary>The store under test: fresh and migrated for each test.</summary>
    protected TStore Store { get; private set; } = null!;

    /// <summary>The ledger over <see cref="Store"/>, which starts and steps runs and verifies their chains.</summary>
    protected AuditLedger Ledger { get; private set; } = null!;

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Creates a fresh, migrated store with its own file or database.</summary>
    protected abstract Task<TStore> CreateStoreAsync();

    public virtual async ValueTask InitializeAsync()
    {
        Store = await CreateStoreAsync().WaitAsync(Timeout);
        Ledger = new AuditLedger(Store, _signer);
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }

        _signer.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static string NewTenant() => "tenant-" + Guid.NewGuid().ToString("N");

    protected static string NewRun() => "run-" + Guid.NewGuid().ToString("N");

    /// <summary>Starts a run and records its first step through the ledger; returns the tail.</summary>
    protected async Task<LedgerRecord> StartAsync(string tenant, string run)
    {
        await Ledger.AppendAsync(tenant, run, new LedgerEntry
        {
            Kind = LedgerRecordKinds.RunStart,
            Payload = """{"input":"draft the clause","workflow":"review"}""",
        }, cancellationToken: Token);
        return await StepAsync(tenant, run, "writer");
    }

    /// <summary>Records a step through the ledger, as a worker does; returns it.</summary>
    protected Task<LedgerRecord> StepAsync(string tenant, string run, string node) =>
        Ledger.AppendAsync(tenant, run, new LedgerEntry
        {
            Kind = LedgerRecordKinds.Step,
            NodeId = node,
            StepId = node + ":1",
            Verdict = "commit",
            Payload = $$"""{"input_task":"work","output":"{{node}} wrote this","step_id":"{{node}}:1"}""",
        }, cancellationToken: Token);

    /// <summary>The record of a store call, chained on <paramref name="tail"/>.</summary>
    protected LedgerRecord Next(LedgerRecord tail, string kind, string payload = """{"note":"approval"}""") =>
        TestChain.Next(tail, kind, payload, _signer.KeyId);

    /// <summary>A pending pause recorded by <paramref name="record"/>, expiring at <paramref name="expiresAt"/> (an hour after <see cref="At"/>).</summary>
    protected static ApprovalPause PauseFor(LedgerRecord record, DateTimeOffset? createdAt = null, DateTimeOffset? expiresAt = null) => new()
    {
        TenantId = record.TenantId,
        RunId = record.RunId,
        PauseSeq = record.Seq,
        Workflow = "review",
        NodeId = "publisher",
        StepId = "publisher:1",
        Stage = ApprovalStage.BeforeStep,
        Reason = "publishing needs a human",
        BlockReason = "dasc",
        Tier = "high",
        Context = """{"node":"publisher","input":"the clause"}""",
        CreatedAt = createdAt ?? At,
        ExpiresAt = expiresAt ?? At.AddHours(1),
        OnTimeout = HitlTimeoutAction.Escalate,
        TimeoutSeconds = 3600,
        WebhookUrl = "https://hooks.example.com/approvals",
        EscalateTo = "https://hooks.example.com/managers",
    };

    /// <summary>An outbox message about the record's run, due at <paramref name="due"/> (<see cref="At"/> by default).</summary>
    protected static WebhookMessage Message(LedgerRecord record, string type = "hitl.pause", DateTimeOffset? due = null) =>
        Message(record.TenantId, record.RunId, type, due);

    protected static WebhookMessage Message(string tenant, string run, string type = "hitl.pause", DateTimeOffset? due = null) => new()
    {
        Id = "msg_" + Guid.NewGuid().ToString("N"),
        TenantId = tenant,
        RunId = run,
        Type = type,
        Url = "https://hooks.example.com/approvals",
        Body = $$"""{"type":"{{type}}","run_id":"{{run}}"}""",
        CreatedAt = At,
        NextAttemptAt = due ?? At,
        Deadline = At.AddHours(1),
    };

    /// <summary>Pauses a fresh step of a new run of <paramref name="tenant"/>; returns the pause's record and the pause.</summary>
    protected async Task<(LedgerRecord Record, ApprovalPause Pause)> PauseNewRunAsync(string tenant, DateTimeOffset? createdAt = null,
        DateTimeOffset? expiresAt = null, params WebhookMessage[] notifications)
    {
        var tail = await StartAsync(tenant, NewRun());
        var record = Next(tail, LedgerRecordKinds.HitlPause);
        var pause = PauseFor(record, createdAt, expiresAt);
        await Store.PauseAsync(record, pause, [.. notifications.Select(m => m with { TenantId = tenant, RunId = record.RunId })], Token);
        return (record, pause);
    }

    /// <summary>A decision on <paramref name="pause"/> by <paramref name="reviewer"/>, five minutes after <see cref="At"/> by default.</summary>
    protected static ApprovalResolution Decision(ApprovalPause pause, string state = ApprovalState.Approved, string reviewer = "alice",
        DateTimeOffset? at = null) =>
        new(pause.TenantId, pause.RunId, pause.PauseSeq, state, reviewer, $"{reviewer} says {state}", at ?? At.AddMinutes(5));

    /// <summary>The chain verifies, with a signed head over its last record.</summary>
    protected async Task AssertChainVerifiesAsync(string tenant, string run)
    {
        await Ledger.SignHeadAsync(tenant, run, Token);
        var verification = await Ledger.VerifyAsync(tenant, run, Token);
        Assert.True(verification.Valid, $"{verification.Reason} at {verification.FirstBadSeq}: {verification.Detail}");
        Assert.True(verification.HeadSigned);
    }
}
