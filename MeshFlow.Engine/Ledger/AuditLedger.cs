using System.Collections.Concurrent;
using MeshFlow.Observability;
using MeshFlow.Ledger.Signing;
using MeshFlow.Observability.Metrics;
using MeshFlow.Retrieval.Vectors;

namespace MeshFlow.Ledger;

/// <summary>
/// The audit ledger over a store: chains records (sequence numbers, previous hashes, entry hashes), signs run
/// heads, verifies chains, reads outputs back and erases payloads lawfully.
/// </summary>
/// <remarks>
/// Appends to one run are safe from any number of writers, in this process or others: a writer that loses the race
/// for a sequence number re-reads the chain's tail and takes the next one, so the chain never forks.
/// </remarks>
public sealed class AuditLedger
{
    private const int MaxAppendAttempts = 1_000;

    // Tenants whose store already holds the signer's public key: a head signed for them needs no key write.
    private readonly ConcurrentDictionary<string, byte> _keySaved = new(StringComparer.Ordinal);

    /// <summary>Creates a ledger over a store, signing with <paramref name="signer"/>.</summary>
    public AuditLedger(ILedgerStore store, ILedgerSigner signer, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(signer);
        Store = store;
        Signer = signer;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Where the records live.</summary>
    public ILedgerStore Store { get; }

    /// <summary>The key run heads are signed with.</summary>
    public ILedgerSigner Signer { get; }

    /// <summary>The clock records are stamped with.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Where each committed append reports how long its commit took; null reports nowhere.</summary>
    public IMeshFlowMetrics? Metrics { get; init; }

    /// <summary>Appends an entry at the end of a run's chain and returns the stored record.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="runId">The run.</param>
    /// <param name="entry">What to record.</param>
    /// <param name="checkpointState">The run's checkpoint to commit with the record, if any.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    public async Task<LedgerRecord> AppendAsync(string tenantId, string runId, LedgerEntry entry, string? checkpointState = null,
        CancellationToken cancellationToken = default)
    {
        var tail = await Store.ReadLastRecordAsync(tenantId, runId, cancellationToken).ConfigureAwait(false);
        using var chain = new RunChain(this, tenantId, runId, tail);
        return await chain.AppendAsync(entry, checkpointState, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends an entry at the end of a run's chain through <paramref name="commit"/>, which stores the record together
    /// with other writes in one transaction (a pause and its notification, say) and says whether it stored it. A taken
    /// sequence number is retried on the chain's new tail.
    /// </summary>
    /// <returns>What <paramref name="commit"/> answered, and the record when it was stored.</returns>
    public async Task<(T Result, LedgerRecord? Record)> AppendThroughAsync<T>(string tenantId, string runId, LedgerEntry entry,
        Func<LedgerRecord, CancellationToken, Task<(T Result, bool Appended)>> commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var tail = await Store.ReadLastRecordAsync(tenantId, runId, cancellationToken).ConfigureAwait(false);
        using var chain = new RunChain(this, tenantId, runId, tail);
        return await chain.AppendThroughAsync(entry, commit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a run's <c>run_start</c> as its first record, before any worker executes it (the API does this when
    /// it queues a run). Answers null, writing nothing, when the run already has records: an idempotent retry, or a
    /// race with another writer, which then holds sequence number 1.
    /// </summary>
    public async Task<LedgerRecord?> TryStartRunAsync(string tenantId, string runId, RunStartPayload payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        using var chain = new RunChain(this, tenantId, runId, tail: null);
        return await chain.TryAppendFirstAsync(new LedgerEntry { Kind = LedgerRecordKinds.RunStart, Payload = LedgerPayloads.RunStart(payload) },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends a run that will not be executed (it was dead-lettered, or cannot be loaded): appends its
    /// <c>run_end</c> with the status and error, unless it has one already, and signs its head.
    /// </summary>
    /// <returns>False when the run already had a run_end record (nothing was written).</returns>
    public async Task<bool> EndRunAsync(string tenantId, string runId, RunEndPayload payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var records = await Store.ReadRecordsAsync(tenantId, runId, cancellationToken).ConfigureAwait(false);
        if (records.Count == 0)
        {
            throw new InvalidOperationException($"run '{runId}' has no records to end");
        }

        if (records.Any(r => r.Kind == LedgerRecordKinds.RunEnd))
        {
            return false;
        }

        using var chain = new RunChain(this, tenantId, runId, records[^1]);
        await chain.AppendAsync(new LedgerEntry { Kind = LedgerRecordKinds.RunEnd, Payload = LedgerPayloads.RunEnd(payload) }, null, cancellationToken)
            .ConfigureAwait(false);
        await chain.SignHeadAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Signs the run's head (its last record) and stores the signature and the public key.</summary>
    /// <exception cref="InvalidOperationException">The run has no records.</exception>
    public async Task<LedgerHead> SignHeadAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var last = await Store.ReadLastRecordAsync(tenantId, runId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"run '{runId}' has no records to sign");
        return await SignHeadAsync(last, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a run's records and head and verifies the chain.</summary>
    public async Task<LedgerVerification> VerifyAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var records = await Store.ReadRecordsAsync(tenantId, runId, cancellationToken).ConfigureAwait(false);
        var head = await Store.ReadHeadAsync(tenantId, runId, cancellationToken).ConfigureAwait(false);
        var keys = await Store.ReadPublicKeysAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return LedgerVerifier.Verify(tenantId, runId, records, head, keys);
    }

    /// <summary>A step's full output, exactly as produced; null when the step is unknown or its payload was erased.</summary>
    public async Task<string?> GetOutputAsync(string tenantId, string runId, string stepId, CancellationToken cancellationToken = default)
    {
        var record = await Store.ReadStepRecordAsync(tenantId, runId, stepId, cancellationToken).ConfigureAwait(false);
        return record is null || record.Redacted ? null : LedgerPayloads.ReadStep(record.Payload).Output;
    }

    /// <summary>
    /// Erases the payloads of a run's records (all, or the given sequence numbers), keeping every hash, so the chain
    /// still verifies and names the redacted records. Erasing a whole run (<paramref name="seqs"/> null) also deletes
    /// the vector entries it wrote (agent memories, knowledge it ingested) in the same transaction, when the store keeps
    /// vectors (<see cref="IVectorEntryStore"/>).
    /// </summary>
    public Task<int> EraseAsync(string tenantId, string runId, IReadOnlyCollection<long>? seqs, string reason,
        CancellationToken cancellationToken = default) =>
        Store.RedactAsync(tenantId, runId, seqs, LedgerPayloads.RedactionNotice(reason, TimeProvider.GetUtcNow()), cancellationToken);

    /// <summary>
    /// Erases everything of a tenant: the payloads of every run's records (hashes kept, as <see cref="EraseAsync"/>
    /// does) and, when the store keeps vectors, every vector collection and entry of the tenant.
    /// </summary>
    /// <returns>How many records were redacted.</returns>
    public async Task<int> EraseTenantAsync(string tenantId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(reason);
        var redacted = 0;
        var query = new LedgerRunQuery { Limit = LedgerRunQuery.MaxLimit };
        while (true)
        {
            var page = await Store.ListRunsAsync(tenantId, query, cancellationToken).ConfigureAwait(false);
            foreach (var run in page.Runs)
            {
                redacted += await EraseAsync(tenantId, run.RunId, null, reason, cancellationToken).ConfigureAwait(false);
            }

            if (page.NextCursor is null)
            {
                break;
            }

            query = query with { Cursor = page.NextCursor };
        }

        if (Store is IVectorEntryStore vectors)
        {
            await vectors.DeleteTenantVectorsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        }

        return redacted;
    }

    internal async Task<LedgerHead> SignHeadAsync(LedgerRecord last, CancellationToken cancellationToken)
    {
        if (!_keySaved.ContainsKey(last.TenantId))
        {
            await Store.SavePublicKeyAsync(last.TenantId, Signer.KeyId, Signer.PublicKey, cancellationToken).ConfigureAwait(false);
            _keySaved.TryAdd(last.TenantId, 0);
        }

        var unsigned = new LedgerHead(last.TenantId, last.RunId, last.Seq, last.EntryHash,
            LedgerHashing.Truncate(TimeProvider.GetUtcNow()), Signer.KeyId, string.Empty);
        var head = unsigned with { Signature = Convert.ToBase64String(Signer.Sign(LedgerHashing.HeadMessage(unsigned))) };
        await Store.SaveHeadAsync(head, cancellationToken).ConfigureAwait(false);
        return head;
    }

    internal async Task<RunChain> OpenAsync(string tenantId, string runId, CancellationToken cancellationToken)
    {
        var tail = await Store.ReadLastRecordAsync(tenantId, runId, cancellationToken).ConfigureAwait(false);
        return new RunChain(this, tenantId, runId, tail);
    }

    // A chain whose tail the caller has just read. A tail that is stale by now only costs a conflict on the first
    // append, after which the chain continues from the real tail.
    internal RunChain Open(string tenantId, string runId, LedgerRecord tail) => new(this, tenantId, runId, tail);

    /// <summary>One run's chain tail, held by its writer so appends need no read first.</summary>
    internal sealed class RunChain(AuditLedger ledger, string tenantId, string runId, LedgerRecord? tail) : IDisposable
    {
        private readonly SemaphoreSlim _gate = new(1, 1);

        public LedgerRecord? Tail { get; private set; } = tail;

        public async Task<LedgerRecord> AppendAsync(LedgerEntry entry, string? checkpointState, CancellationToken cancellationToken) =>
            (await AppendThroughAsync(entry, async (record, token) =>
            {
                var checkpoint = checkpointState is null ? null : new LedgerCheckpoint(tenantId, runId, record.Seq, checkpointState);
                await ledger.Store.AppendAsync(record, checkpoint, token).ConfigureAwait(false);
                return (record, true);
            }, cancellationToken).ConfigureAwait(false)).Result;

        /// <summary>
        /// Appends through <paramref name="commit"/>, which stores the built record together with other writes (in one
        /// transaction) and says whether it did; a taken sequence number (<see cref="LedgerConflictException"/>) is
        /// retried on the chain's real tail.
        /// </summary>
        public async Task<(T Result, LedgerRecord? Record)> AppendThroughAsync<T>(LedgerEntry entry,
            Func<LedgerRecord, CancellationToken, Task<(T Result, bool Appended)>> commit, CancellationToken cancellationToken)
        {
            using var activity = LedgerTelemetry.StartAppend(tenantId, runId, entry.Kind);
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                for (var attempt = 0; attempt < MaxAppendAttempts; attempt++)
                {
                    var record = Build(entry);
                    try
                    {
                        var started = ledger.TimeProvider.GetTimestamp();
                        var (result, appended) = await commit(record, cancellationToken).ConfigureAwait(false);
                        if (!appended)
                        {
                            return (result, null);
                        }

                        ledger.Metrics?.LedgerCommitted(ledger.TimeProvider.GetElapsedTime(started));
                        Tail = record;
                        LedgerTelemetry.Committed(activity, record);
                        return (result, record);
                    }
                    catch (LedgerConflictException)
                    {
                        // Another writer took this sequence number: continue from the chain's real tail. A writer
                        // that keeps losing backs off a little (jittered), so a crowd of writers does not starve one.
                        if (attempt >= 3)
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, Math.Min(attempt, 20))), cancellationToken)
                                .ConfigureAwait(false);
                        }

                        Tail = await ledger.Store.ReadLastRecordAsync(tenantId, runId, cancellationToken).ConfigureAwait(false);
                    }
                }

                throw new InvalidOperationException($"could not append to run '{runId}' after {MaxAppendAttempts} attempts");
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task<LedgerRecord?> TryAppendFirstAsync(LedgerEntry entry, CancellationToken cancellationToken)
        {
            using var activity = LedgerTelemetry.StartAppend(tenantId, runId, entry.Kind);
            var record = Build(entry);
            try
            {
                var started = ledger.TimeProvider.GetTimestamp();
                var outcome = await ledger.Store.AppendAsync(record, null, cancellationToken).ConfigureAwait(false);
                if (outcome == AppendOutcome.Appended)
                {
                    ledger.Metrics?.LedgerCommitted(ledger.TimeProvider.GetElapsedTime(started));
                }

                Tail = record;
                if (outcome == AppendOutcome.Appended)
                {
                    LedgerTelemetry.Committed(activity, record);
                }

                return outcome == AppendOutcome.Appended ? record : null;
            }
            catch (LedgerConflictException)
            {
                return null;
            }
        }

        public void Dispose() => _gate.Dispose();

        public Task<LedgerHead> SignHeadAsync(CancellationToken cancellationToken) =>
            Tail is { } last
                ? ledger.SignHeadAsync(last, cancellationToken)
                : throw new InvalidOperationException($"run '{runId}' has no records to sign");

        private LedgerRecord Build(LedgerEntry entry)
        {
            var record = new LedgerRecord
            {
                FormatVersion = LedgerHashing.FormatVersionFor(entry.AgentDid),
                TenantId = tenantId,
                RunId = runId,
                Seq = (Tail?.Seq ?? 0) + 1,
                PrevHash = Tail?.EntryHash ?? LedgerHashing.Genesis(tenantId, runId),
                Timestamp = LedgerHashing.Truncate(ledger.TimeProvider.GetUtcNow()),
                Kind = entry.Kind,
                NodeId = entry.NodeId,
                AgentId = entry.AgentId,
                AgentDid = entry.AgentDid,
                StepId = entry.StepId,
                Verdict = entry.Verdict,
                BlockReason = entry.BlockReason,
                TokensInput = entry.Tokens.Input,
                TokensOutput = entry.Tokens.Output,
                TokensEstimated = entry.Tokens.Estimated,
                CostUsd = entry.CostUsd,
                DurationMs = LedgerHashing.DurationMicroseconds(entry.DurationMs) / 1000.0,
                Uncertainty = entry.Uncertainty,
                SigningKeyId = ledger.Signer.KeyId,
                PayloadHash = LedgerHashing.PayloadHash(entry.Payload),
                EntryHash = string.Empty,
                Payload = entry.Payload,
            };
            return record with { EntryHash = LedgerHashing.EntryHash(record) };
        }
    }
}
