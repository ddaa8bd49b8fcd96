using MeshFlow.Ledger;

namespace MeshFlow.Distributed.Ledger.Postgres;

/// <summary>The ledger store's statements. Every one is parameterised and filtered by tenant.</summary>
internal static class PostgresLedgerSql
{
    // The run totals (migration 8) by LedgerRunTotals' rule: a step adds its tokens and cost until a run_end is
    // counted; a run_end's own totals replace them unless a later run_end is already counted; steps are counted always.
    private const string TotalsColumns = "step_count, tokens_input, tokens_output, cost_usd, end_seq";

    // What one appended record (a row of AppendBatch's "appended") brings to the totals, in TotalsColumns' order.
    private const string TotalsValues = """
        (kind = 'step')::int, CASE WHEN kind IN ('step', 'run_end') THEN tokens_input ELSE 0 END,
        CASE WHEN kind IN ('step', 'run_end') THEN tokens_output ELSE 0 END,
        CASE WHEN kind IN ('step', 'run_end') THEN cost_usd ELSE 0 END, CASE WHEN kind = 'run_end' THEN seq END
        """;

    // Folds the proposed row's contribution (excluded) into the stored totals (runs). A cost sum stays within .NET's
    // decimal range, as LedgerRunTotals' does, so the summary always reads back.
    private const string TotalsUpdate = """
        step_count = runs.step_count + excluded.step_count,
                    tokens_input = CASE WHEN excluded.end_seq >= coalesce(runs.end_seq, excluded.end_seq) THEN excluded.tokens_input
                        WHEN runs.end_seq IS NOT NULL OR excluded.end_seq IS NOT NULL THEN runs.tokens_input
                        ELSE runs.tokens_input + excluded.tokens_input END,
                    tokens_output = CASE WHEN excluded.end_seq >= coalesce(runs.end_seq, excluded.end_seq) THEN excluded.tokens_output
                        WHEN runs.end_seq IS NOT NULL OR excluded.end_seq IS NOT NULL THEN runs.tokens_output
                        ELSE runs.tokens_output + excluded.tokens_output END,
                    cost_usd = CASE WHEN excluded.end_seq >= coalesce(runs.end_seq, excluded.end_seq) THEN excluded.cost_usd
                        WHEN runs.end_seq IS NOT NULL OR excluded.end_seq IS NOT NULL THEN runs.cost_usd
                        ELSE LEAST(GREATEST(runs.cost_usd + excluded.cost_usd, -79228162514264337593543950335), 79228162514264337593543950335)
                    END,
                    end_seq = GREATEST(runs.end_seq, excluded.end_seq)
        """;

    private static readonly string[] ListRunsStatements =
        [ListRunsSql(false, false), ListRunsSql(true, false), ListRunsSql(false, true), ListRunsSql(true, true)];

    /// <summary>
    /// One append in one statement, hence one round trip and one implicit transaction (atomic on its own): the record,
    /// then, only if it was inserted, its checkpoint (which never moves back) and the run summary (created by the
    /// run's first record; run_start names the workflow and makes the run queued unless later records are stored,
    /// any other record makes a queued run running, run_end sets the final status). A taken sequence number
    /// inserts nothing and changes nothing. $1-$25 are the record's columns, $26 the checkpoint state or NULL, $27 the
    /// workflow of a run_start, $28 the final status of a run_end, else NULL. Returns position 1 when the record was
    /// inserted, else no row. The run's totals follow <see cref="LedgerRunTotals"/>' rule. <see cref="AppendBatch"/> does the same for many appends, and must change with it.
    /// </summary>
    public const string Append = $"""
        WITH ins AS (
            INSERT INTO ledger_records (tenant_id, run_id, seq, format_version, prev_hash, ts, kind, node_id, agent_id,
                step_id, verdict, block_reason, tokens_input, tokens_output, tokens_estimated, cost_usd, duration_ms,
                uncertainty, signing_key_id, payload_hash, entry_hash, payload, payload_compressed, redacted, agent_did)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24,
                $25)
            ON CONFLICT (tenant_id, run_id, seq) DO NOTHING
            RETURNING seq
        ),
        checkpoint AS (
            INSERT INTO checkpoints (tenant_id, run_id, seq, state, updated_at)
            SELECT $1, $2, $3, $26, $6 FROM ins WHERE $26 IS NOT NULL
            ON CONFLICT (tenant_id, run_id) DO UPDATE
                SET seq = excluded.seq, state = excluded.state, updated_at = excluded.updated_at
                WHERE checkpoints.seq <= excluded.seq
        ),
        run AS (
            INSERT INTO runs (tenant_id, run_id, workflow, status, last_seq, created_at, updated_at, {TotalsColumns})
            SELECT $1, $2, coalesce($27, ''), coalesce($28, CASE WHEN $7 = 'run_start' THEN 'queued' ELSE 'running' END), $3, $6, $6,
                ($7 = 'step')::int, CASE WHEN $7 IN ('step', 'run_end') THEN $13 ELSE 0 END,
                CASE WHEN $7 IN ('step', 'run_end') THEN $14 ELSE 0 END, CASE WHEN $7 IN ('step', 'run_end') THEN $16 ELSE 0 END,
                CASE WHEN $7 = 'run_end' THEN $3 END
            FROM ins
            ON CONFLICT (tenant_id, run_id) DO UPDATE
                SET {TotalsUpdate},
                    workflow = CASE WHEN $7 = 'run_start' THEN excluded.workflow ELSE runs.workflow END,
                    created_at = CASE WHEN $7 = 'run_start' THEN excluded.created_at ELSE runs.created_at END,
                    status = CASE
                        WHEN $28 IS NOT NULL THEN excluded.status
                        WHEN $7 = 'run_start' THEN CASE WHEN excluded.last_seq >= runs.last_seq THEN excluded.status ELSE runs.status END
                        WHEN runs.status = 'queued' THEN excluded.status
                        ELSE runs.status
                    END,
                    last_seq = GREATEST(runs.last_seq, excluded.last_seq),
                    updated_at = CASE WHEN excluded.last_seq >= runs.last_seq THEN excluded.updated_at ELSE runs.updated_at END
        )
        SELECT 1::bigint AS position FROM ins
        """;

    /// <summary>
    /// <see cref="Append"/> for many appends, at most one per run, in one statement: $1-$28 are arrays with one
    /// element per append. Returns the (1-based) positions of the appends that were inserted. The run summary is
    /// upserted by one of three statements, by what the record does to it (starts the run, ends it, or only moves it
    /// on), because an upsert's update cannot see the row it proposed beyond the table's own columns.
    /// </summary>
    public const string AppendBatch = $"""
        WITH input AS (
            SELECT *
            FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[], $5::text[], $6::bigint[], $7::text[], $8::text[],
                $9::text[], $10::text[], $11::text[], $12::text[], $13::bigint[], $14::bigint[], $15::boolean[],
                $16::numeric[], $17::double precision[], $18::double precision[], $19::text[], $20::text[], $21::text[],
                $22::bytea[], $23::boolean[], $24::boolean[], $25::text[], $26::text[], $27::text[], $28::text[])
                WITH ORDINALITY AS i (tenant_id, run_id, seq, format_version, prev_hash, ts, kind, node_id, agent_id,
                    step_id, verdict, block_reason, tokens_input, tokens_output, tokens_estimated, cost_usd, duration_ms,
                    uncertainty, signing_key_id, payload_hash, entry_hash, payload, payload_compressed, redacted, agent_did,
                    state, workflow, final_status, position)
        ),
        ins AS (
            INSERT INTO ledger_records (tenant_id, run_id, seq, format_version, prev_hash, ts, kind, node_id, agent_id,
                step_id, verdict, block_reason, tokens_input, tokens_output, tokens_estimated, cost_usd, duration_ms,
                uncertainty, signing_key_id, payload_hash, entry_hash, payload, payload_compressed, redacted, agent_did)
            SELECT tenant_id, run_id, seq, format_version, prev_hash, ts, kind, node_id, agent_id, step_id, verdict,
                block_reason, tokens_input, tokens_output, tokens_estimated, cost_usd, duration_ms, uncertainty,
                signing_key_id, payload_hash, entry_hash, payload, payload_compressed, redacted, agent_did
            FROM input
            ORDER BY tenant_id, run_id
            ON CONFLICT (tenant_id, run_id, seq) DO NOTHING
            RETURNING tenant_id, run_id, seq
        ),
        appended AS (
            SELECT input.* FROM input JOIN ins USING (tenant_id, run_id, seq)
        ),
        checkpoint AS (
            INSERT INTO checkpoints (tenant_id, run_id, seq, state, updated_at)
            SELECT tenant_id, run_id, seq, state, ts FROM appended WHERE state IS NOT NULL ORDER BY tenant_id, run_id
            ON CONFLICT (tenant_id, run_id) DO UPDATE
                SET seq = excluded.seq, state = excluded.state, updated_at = excluded.updated_at
                WHERE checkpoints.seq <= excluded.seq
        ),
        started AS (
            INSERT INTO runs (tenant_id, run_id, workflow, status, last_seq, created_at, updated_at, {TotalsColumns})
            SELECT tenant_id, run_id, coalesce(workflow, ''), 'queued', seq, ts, ts, {TotalsValues}
            FROM appended WHERE kind = 'run_start' ORDER BY tenant_id, run_id
            ON CONFLICT (tenant_id, run_id) DO UPDATE
                SET {TotalsUpdate},
                    workflow = excluded.workflow,
                    created_at = excluded.created_at,
                    status = CASE WHEN excluded.last_seq >= runs.last_seq THEN excluded.status ELSE runs.status END,
                    last_seq = GREATEST(runs.last_seq, excluded.last_seq),
                    updated_at = CASE WHEN excluded.last_seq >= runs.last_seq THEN excluded.updated_at ELSE runs.updated_at END
        ),
        ended AS (
            INSERT INTO runs (tenant_id, run_id, workflow, status, last_seq, created_at, updated_at, {TotalsColumns})
            SELECT tenant_id, run_id, '', final_status, seq, ts, ts, {TotalsValues}
            FROM appended WHERE kind <> 'run_start' AND final_status IS NOT NULL ORDER BY tenant_id, run_id
            ON CONFLICT (tenant_id, run_id) DO UPDATE
                SET {TotalsUpdate},
                    status = excluded.status,
                    last_seq = GREATEST(runs.last_seq, excluded.last_seq),
                    updated_at = CASE WHEN excluded.last_seq >= runs.last_seq THEN excluded.updated_at ELSE runs.updated_at END
        ),
        advanced AS (
            INSERT INTO runs (tenant_id, run_id, workflow, status, last_seq, created_at, updated_at, {TotalsColumns})
            SELECT tenant_id, run_id, '', 'running', seq, ts, ts, {TotalsValues}
            FROM appended WHERE kind <> 'run_start' AND final_status IS NULL ORDER BY tenant_id, run_id
            ON CONFLICT (tenant_id, run_id) DO UPDATE
                SET {TotalsUpdate},
                    status = CASE WHEN runs.status = 'queued' THEN excluded.status ELSE runs.status END,
                    last_seq = GREATEST(runs.last_seq, excluded.last_seq),
                    updated_at = CASE WHEN excluded.last_seq >= runs.last_seq THEN excluded.updated_at ELSE runs.updated_at END
        )
        SELECT position FROM appended
        """;

    /// <summary>The record at ($1 tenant, $2 run, $3 seq).</summary>
    public const string ReadRecord =
        "SELECT " + LedgerRecordRows.Columns + " FROM ledger_records WHERE tenant_id = $1 AND run_id = $2 AND seq = $3";

    /// <summary>Every record of ($1 tenant, $2 run), in sequence order.</summary>
    public const string ReadRecords =
        "SELECT " + LedgerRecordRows.Columns + " FROM ledger_records WHERE tenant_id = $1 AND run_id = $2 ORDER BY seq";

    /// <summary>The last record of ($1 tenant, $2 run).</summary>
    public const string ReadLastRecord =
        "SELECT " + LedgerRecordRows.Columns + " FROM ledger_records WHERE tenant_id = $1 AND run_id = $2 ORDER BY seq DESC LIMIT 1";

    /// <summary>The latest record of step $3 in ($1 tenant, $2 run).</summary>
    public const string ReadStepRecord =
        "SELECT " + LedgerRecordRows.Columns +
        " FROM ledger_records WHERE tenant_id = $1 AND run_id = $2 AND step_id = $3 AND kind = 'step' ORDER BY seq DESC LIMIT 1";

    /// <summary>The run summary columns, in the order <c>ReadSummary</c> reads them.</summary>
    public const string SummaryColumns =
        "run_id, workflow, status, last_seq, created_at, updated_at, step_count, tokens_input, tokens_output, cost_usd";

    /// <summary>The summary of ($1 tenant, $2 run).</summary>
    public const string ReadRun = "SELECT " + SummaryColumns + " FROM runs WHERE tenant_id = $1 AND run_id = $2";

    /// <summary>
    /// A page of tenant $1's runs, newest first by (created_at, run_id): created at or after $2, below the keyset
    /// position ($3 created_at, $4 run_id), at most $5 rows; then the status and the workflow ($6, $7), each only when
    /// <paramref name="byStatus"/> or <paramref name="byWorkflow"/> says so (<see cref="LedgerRunCursor.Bounds"/>
    /// gives $2-$4). Run ids compare in the "C" collation (by their UTF-8 bytes, as on SQLite) whatever the database's
    /// default, as migration 4's indexes order them.
    /// </summary>
    /// <remarks>One statement per filter combination, so a status filter can use its index.</remarks>
    public static string ListRuns(bool byStatus, bool byWorkflow) => ListRunsStatements[(byStatus ? 1 : 0) + (byWorkflow ? 2 : 0)];

    /// <summary>Every tenant's unfinished runs last updated before $1 (unix ms), oldest first, at most $2.</summary>
    public const string ListUnfinishedRuns =
        "SELECT tenant_id, " + SummaryColumns + " FROM runs WHERE status IN ('queued', 'running') AND updated_at < $1 ORDER BY updated_at LIMIT $2";

    /// <summary>The checkpoint of ($1 tenant, $2 run).</summary>
    public const string LoadCheckpoint = "SELECT seq, state FROM checkpoints WHERE tenant_id = $1 AND run_id = $2";

    /// <summary>Saves (replaces) the head of ($1 tenant, $2 run).</summary>
    public const string SaveHead = """
        INSERT INTO run_heads (tenant_id, run_id, seq, entry_hash, signed_at, key_id, signature)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (tenant_id, run_id) DO UPDATE
            SET seq = excluded.seq, entry_hash = excluded.entry_hash, signed_at = excluded.signed_at,
                key_id = excluded.key_id, signature = excluded.signature
        """;

    /// <summary>The head of ($1 tenant, $2 run).</summary>
    public const string ReadHead =
        "SELECT seq, entry_hash, signed_at, key_id, signature FROM run_heads WHERE tenant_id = $1 AND run_id = $2";

    /// <summary>
    /// Records key $2 = $3 for tenant $1 unless the id is taken; returns the key stored under the id (the existing one
    /// or the new one), so a second id holder is detected in the same round trip.
    /// </summary>
    public const string SavePublicKey = """
        WITH existing AS (
            SELECT public_key FROM signing_keys WHERE tenant_id = $1 AND key_id = $2
        ),
        ins AS (
            INSERT INTO signing_keys (tenant_id, key_id, public_key, created_at)
            SELECT $1, $2, $3, (extract(epoch FROM clock_timestamp()) * 1000)::bigint
            WHERE NOT EXISTS (SELECT 1 FROM existing)
            ON CONFLICT (tenant_id, key_id) DO NOTHING
            RETURNING public_key
        )
        SELECT public_key FROM existing
        UNION ALL
        SELECT public_key FROM ins
        """;

    /// <summary>The key stored as $2 for tenant $1.</summary>
    public const string ReadPublicKey = "SELECT public_key FROM signing_keys WHERE tenant_id = $1 AND key_id = $2";

    /// <summary>Every public key of tenant $1.</summary>
    public const string ReadPublicKeys = "SELECT key_id, public_key FROM signing_keys WHERE tenant_id = $1";

    /// <summary>Declares an erasure for the current transaction, which the append-only trigger requires.</summary>
    public const string DeclareErasure = "SELECT set_config('meshflow.erasure', 'on', true)";

    /// <summary>Replaces the payloads of ($1 tenant, $2 run) with $4: every record when $3 is NULL, else those in $3.</summary>
    public const string Redact = """
        UPDATE ledger_records
            SET payload = $4, payload_compressed = false, redacted = true
        WHERE tenant_id = $1 AND run_id = $2 AND ($3::bigint[] IS NULL OR seq = ANY ($3))
        """;

    private static string ListRunsSql(bool byStatus, bool byWorkflow)
    {
        var filters = (byStatus, byWorkflow) switch
        {
            (true, true) => " AND status = $6 AND workflow = $7",
            (true, false) => " AND status = $6",
            (false, true) => " AND workflow = $6",
            _ => string.Empty,
        };
        return $"""
            SELECT {SummaryColumns} FROM runs
            WHERE tenant_id = $1 AND created_at >= $2 AND (created_at, run_id COLLATE "C") < ($3, $4){filters}
            ORDER BY created_at DESC, run_id COLLATE "C" DESC
            LIMIT $5
            """;
    }
}
