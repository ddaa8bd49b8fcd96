namespace MeshFlow.Ledger;

/// <summary>
/// Where ledger records live: an embedded SQLite file or a Postgres database, with the same logical schema.
/// Stores persist and read; hashing, chaining, signing and verification happen above them (<c>AuditLedger</c>).
/// </summary>
/// <remarks>
/// <para><b>Tenancy.</b> Every table has a tenant id and every operation is scoped to one tenant: a run of another
/// tenant is indistinguishable from a missing one.</para>
/// <para><b>Append-only.</b> <see cref="AppendAsync"/> never overwrites. The pair (tenant, run, seq) is unique, so
/// concurrent writers can never fork a chain: the loser gets <see cref="LedgerConflictException"/>, re-reads the
/// tail and tries the next sequence number. Re-appending a record identical to the stored one (same entry hash and
/// payload) is a no-op that answers <see cref="AppendOutcome.AlreadyPresent"/>; a different record at an existing
/// sequence number is a conflict. Only <see cref="RedactAsync"/> may change a stored record, and only its payload.
/// </para>
/// <para><b>Atomicity.</b> A record, the run's checkpoint that goes with it, and the run summary it implies are
/// committed in one transaction.</para>
/// <para><b>Run status.</b> A run_start record makes a run <c>queued</c> (accepted, no work recorded yet: an Api may
/// record it before any worker picks the run up); the first later record other than run_end makes it <c>running</c>;
/// a run_end record sets the final status it names. Records appended after a run_end leave that status alone, and a
/// run_start never sets a run back to queued once later records are stored.</para>
/// <para><b>Listing.</b> <see cref="ListRunsAsync"/> pages through a tenant's runs newest first, ordered by
/// (creation time, run id) descending, run ids compared by their UTF-8 bytes. Its cursor is a keyset position
/// (<see cref="LedgerRunCursor"/>), not an offset, so paging never skips nor repeats a run, even when many share a
/// creation time; a run added meanwhile shows up on a later page only if it sorts after the cursor.</para>
/// <para><b>Fidelity.</b> Payloads are stored in full; payloads over <see cref="CompressionThresholdBytes"/> are
/// stored compressed and read back byte-identical.</para>
/// </remarks>
public interface ILedgerStore : IAsyncDisposable
{
    /// <summary>Payloads larger than this (in UTF-8 bytes) are stored compressed.</summary>
    public const int CompressionThresholdBytes = 10 * 1024;

    /// <summary>Applies pending schema migrations under a lock; safe when several processes start at once.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>Appends a record and, with it, the run's checkpoint, in one transaction.</summary>
    /// <exception cref="LedgerConflictException">A different record holds this sequence number.</exception>
    Task<AppendOutcome> AppendAsync(LedgerRecord record, LedgerCheckpoint? checkpoint = null, CancellationToken cancellationToken = default);

    /// <summary>Every record of a run, in sequence order; empty when the run is unknown to this tenant.</summary>
    Task<IReadOnlyList<LedgerRecord>> ReadRecordsAsync(string tenantId, string runId, CancellationToken cancellationToken = default);

    /// <summary>The run's last record, or null.</summary>
    Task<LedgerRecord?> ReadLastRecordAsync(string tenantId, string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The latest <c>step</c> record of a step by its step id (<c>node:iteration</c>), or null. A step approved before its
    /// call has two (its escalation, then its run), and approval records carry the step id too: only the step's own
    /// latest record is answered.
    /// </summary>
    Task<LedgerRecord?> ReadStepRecordAsync(string tenantId, string runId, string stepId, CancellationToken cancellationToken = default);

    /// <summary>The run's summary, or null.</summary>
    Task<LedgerRunSummary?> ReadRunAsync(string tenantId, string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of the tenant's runs that match <paramref name="query"/>, newest first (creation time descending, then
    /// run id descending), starting after <see cref="LedgerRunQuery.Cursor"/>.
    /// </summary>
    /// <remarks>
    /// Filters are exact matches, and the creation-time window is half-open (<see cref="LedgerRunQuery"/>). A cursor
    /// is a position, so it may be reused with other filters; only the tenant's runs are ever returned.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="LedgerRunQuery.Limit"/> is not from 1 to
    /// <see cref="LedgerRunQuery.MaxLimit"/>.</exception>
    /// <exception cref="FormatException"><see cref="LedgerRunQuery.Cursor"/> is not a cursor a store issued.</exception>
    Task<LedgerRunPage> ListRunsAsync(string tenantId, LedgerRunQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs of every tenant that have not ended (status <c>queued</c> or <c>running</c>) and were last updated before
    /// <paramref name="updatedBefore"/>, oldest first, at most <paramref name="limit"/>. For recovery only (the
    /// reconciler puts them back on the queue); never answered to a tenant.
    /// </summary>
    Task<IReadOnlyList<LedgerRunSummary>> ListUnfinishedRunsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken = default);

    /// <summary>The run's latest checkpoint, or null.</summary>
    Task<LedgerCheckpoint?> LoadCheckpointAsync(string tenantId, string runId, CancellationToken cancellationToken = default);

    /// <summary>Saves (replaces) the run's signed head.</summary>
    Task SaveHeadAsync(LedgerHead head, CancellationToken cancellationToken = default);

    /// <summary>The run's signed head, or null.</summary>
    Task<LedgerHead?> ReadHeadAsync(string tenantId, string runId, CancellationToken cancellationToken = default);

    /// <summary>Records a public signing key for a tenant (idempotent), so its heads stay verifiable after rotation.</summary>
    Task SavePublicKeyAsync(string tenantId, string keyId, byte[] publicKey, CancellationToken cancellationToken = default);

    /// <summary>The tenant's public signing keys by id.</summary>
    Task<IReadOnlyDictionary<string, byte[]>> ReadPublicKeysAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases the payloads of a run's records (all of them when <paramref name="seqs"/> is null), replacing each
    /// with <paramref name="notice"/> and marking it redacted; hashes are kept, so the chain still verifies. A store that
    /// keeps vectors (<c>IVectorEntryStore</c>) deletes, when the whole run is erased, the vector entries the run wrote
    /// in the same transaction.
    /// </summary>
    /// <returns>How many records were redacted.</returns>
    Task<int> RedactAsync(string tenantId, string runId, IReadOnlyCollection<long>? seqs, string notice, CancellationToken cancellationToken = default);
}
