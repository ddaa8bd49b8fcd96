using MeshFlow.Distributed.Ledger.Postgres;
using MeshFlow.Execution;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;
using MeshFlow.Runs;
using MeshFlow.Testing.Postgres;
using MeshFlow.Workflows;

namespace MeshFlow.Distributed.Tests.Ledger.Postgres;

/// <summary>The whole ledger (chaining, signing, verifying) and the engine on the Postgres store.</summary>
public sealed class PostgresAuditLedgerTests(PostgresFixture postgres) : IDisposable
{
    private readonly Ed25519LedgerSigner _signer = Ed25519LedgerSigner.Create();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _signer.Dispose();

    [Fact]
    public async Task Thirty_two_concurrent_writers_of_two_hundred_records_each_leave_one_unforked_chain_that_verifies()
    {
        await using var store = new PostgresLedgerStore(await postgres.CreateDatabaseAsync("contended", Token));
        await store.MigrateAsync(Token);
        var ledger = new AuditLedger(store, _signer);

        await Task.WhenAll(Enumerable.Range(0, 32).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await ledger.AppendAsync("acme", "run_contended",
                    new LedgerEntry { Kind = LedgerRecordKinds.Step, Payload = $"{{\"i\":{i},\"writer\":{writer}}}", StepId = $"w{writer}:{i}" }, null, Token);
            }
        }, Token))).WaitAsync(TimeSpan.FromMinutes(3), Token);
        await ledger.SignHeadAsync("acme", "run_contended", Token);

        var records = await store.ReadRecordsAsync("acme", "run_contended", Token);
        var verification = await ledger.VerifyAsync("acme", "run_contended", Token);

        Assert.Equal(Enumerable.Range(1, 6_400).Select(i => (long)i), records.Select(r => r.Seq));
        Assert.True(verification.Valid, verification.Detail);
    }

    [Fact]
    public async Task The_engine_records_a_run_on_postgres_that_verifies_and_replays_identically()
    {
        await using var store = new PostgresLedgerStore(await postgres.CreateDatabaseAsync("engine", Token));
        await store.MigrateAsync(Token);
        var ledger = new AuditLedger(store, _signer);
        var workflow = new WorkflowBuilder("review")
            .AddNode(new AgentNode("writer") { Model = "offline" })
            .AddNode(new AgentNode("critic") { Model = "scripted", Responses = ["REVISE", "APPROVED"] })
            .AddEdge("writer", "critic")
            .AddLoopEdge("critic", "writer", "!contains(output, 'APPROVED')", 3)
            .Build();

        var result = await new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger })
            .RunAsync(workflow, "NDA", new RunOptions { TenantId = "acme" }, Token);
        var verification = await ledger.VerifyAsync("acme", result.RunId, Token);
        var replay = await LedgerReplay.ReplayAsync(new MeshFlowEngine(), workflow, ledger, "acme", result.RunId, Token);
        var summary = await store.ReadRunAsync("acme", result.RunId, Token);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.True(verification.Valid, verification.Detail);
        Assert.Equal(6, verification.Records);
        Assert.True(replay.Identical, replay.Detail);
        Assert.Equal(("review", "completed"), (summary!.Workflow, summary.Status));
        Assert.Null(await store.ReadRunAsync("globex", result.RunId, Token));
    }
}
