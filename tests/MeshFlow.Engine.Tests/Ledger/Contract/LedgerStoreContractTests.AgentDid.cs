using MeshFlow.Governance.Identity;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;

namespace MeshFlow.Tests.Ledger.Contract;

// Format 2 records: the agent's DID is stored with the record and covered by its entry hash.
public abstract partial class LedgerStoreContractTests
{
    /// <summary>
    /// Overwrites the stored <c>agent_did</c> of record <paramref name="seq"/> behind the store's back (past the
    /// database's append-only guard), the way someone with the database's credentials could.
    /// </summary>
    protected abstract Task ForgeStoredAgentDidAsync(string tenantId, string runId, long seq, string? agentDid);

    [Fact]
    public async Task A_record_with_an_agent_did_reads_back_as_format_2_and_its_chain_verifies()
    {
        var run = NewRun();
        using var signer = Ed25519LedgerSigner.Create();
        var ledger = new AuditLedger(Store, signer);
        var writer = DidKey.NewIdentity().Did;

        var appended = await AppendMixedRunAsync(ledger, run, writer);

        var records = await Store.ReadRecordsAsync(Tenant, run, Token);
        Assert.Equal(appended, records);
        Assert.Equal([1, 2, 1, 1], records.Select(r => r.FormatVersion));
        Assert.Equal([null, writer, null, null], records.Select(r => r.AgentDid));
        Assert.Equal(writer, (await Store.ReadStepRecordAsync(Tenant, run, "writer:1", Token))!.AgentDid);
        var verification = await ledger.VerifyAsync(Tenant, run, Token);
        Assert.True(verification.Valid, verification.Detail);
        Assert.True(verification.HeadSigned);

        // A retry of the stored format 2 record is recognised as the same record.
        Assert.Equal(AppendOutcome.AlreadyPresent, await Store.AppendAsync(appended[1], null, Token));
        await Assert.ThrowsAsync<LedgerConflictException>(() => Store.AppendAsync(appended[1] with { AgentDid = DidKey.NewIdentity().Did }, null, Token));
    }

    [Fact]
    public async Task A_changed_stored_agent_did_is_a_hash_mismatch_at_its_sequence_number()
    {
        var run = NewRun();
        using var signer = Ed25519LedgerSigner.Create();
        var ledger = new AuditLedger(Store, signer);
        await AppendMixedRunAsync(ledger, run, DidKey.NewIdentity().Did);

        await ForgeStoredAgentDidAsync(Tenant, run, 2, DidKey.NewIdentity().Did);

        var verification = await ledger.VerifyAsync(Tenant, run, Token);
        Assert.False(verification.Valid);
        Assert.Equal(LedgerVerificationReasons.HashMismatch, verification.Reason);
        Assert.Equal(2, verification.FirstBadSeq);
    }

    [Fact]
    public async Task A_did_forged_into_a_stored_format_1_record_is_a_hash_mismatch_at_its_sequence_number()
    {
        var run = NewRun();
        using var signer = Ed25519LedgerSigner.Create();
        var ledger = new AuditLedger(Store, signer);
        await AppendMixedRunAsync(ledger, run, DidKey.NewIdentity().Did);

        await ForgeStoredAgentDidAsync(Tenant, run, 3, DidKey.NewIdentity().Did);

        var verification = await ledger.VerifyAsync(Tenant, run, Token);
        Assert.Equal(LedgerVerificationReasons.HashMismatch, verification.Reason);
        Assert.Equal(3, verification.FirstBadSeq);
    }

    // run_start; the writer's step, with its DID; a tool step without one; run_end; then the head is signed.
    private static async Task<List<LedgerRecord>> AppendMixedRunAsync(AuditLedger ledger, string run, string writerDid)
    {
        List<LedgerRecord> records =
        [
            await ledger.AppendAsync(Tenant, run, new LedgerEntry { Kind = LedgerRecordKinds.RunStart, Payload = """{"workflow":"review"}""" },
                null, Token),
            await ledger.AppendAsync(Tenant, run, new LedgerEntry
            {
                Kind = LedgerRecordKinds.Step, Payload = """{"output":"draft","step_id":"writer:1"}""", NodeId = "writer", AgentId = "writer",
                AgentDid = writerDid, StepId = "writer:1", Verdict = "commit", CostUsd = 0.0125m,
            }, null, Token),
            await ledger.AppendAsync(Tenant, run, new LedgerEntry
            {
                Kind = LedgerRecordKinds.Step, Payload = """{"output":"42","step_id":"calc:1"}""", NodeId = "calc", StepId = "calc:1", Verdict = "commit",
            }, null, Token),
            await ledger.AppendAsync(Tenant, run, new LedgerEntry { Kind = LedgerRecordKinds.RunEnd, Payload = """{"output":"42","status":"completed"}""" },
                null, Token),
        ];
        await ledger.SignHeadAsync(Tenant, run, Token);
        return records;
    }
}
