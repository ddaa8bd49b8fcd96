using MeshFlow.Distributed.Ledger.Postgres;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Ledger;
using MeshFlow.Testing.Postgres;
using MeshFlow.Tests.Ledger.Contract;

namespace MeshFlow.Distributed.Tests.Ledger.Postgres;

public sealed class PostgresLedgerMigrationTests(PostgresFixture postgres)
{
    private const string Tenant = "acme";

    private static readonly Dictionary<string, string[]> FinalColumns = new()
    {
        ["schema_migrations"] = ["version", "applied_at"],
        ["runs"] =
        [
            "tenant_id", "run_id", "workflow", "status", "last_seq", "created_at", "updated_at", "step_count", "tokens_input", "tokens_output",
            "cost_usd", "end_seq",
        ],
        ["ledger_records"] =
        [
            "tenant_id", "run_id", "seq", "format_version", "prev_hash", "ts", "kind", "node_id", "agent_id", "step_id", "verdict",
            "block_reason", "tokens_input", "tokens_output", "tokens_estimated", "cost_usd", "duration_ms", "uncertainty",
            "signing_key_id", "payload_hash", "entry_hash", "payload", "payload_compressed", "redacted", "agent_did",
        ],
        ["checkpoints"] = ["tenant_id", "run_id", "seq", "state", "updated_at"],
        ["run_heads"] = ["tenant_id", "run_id", "seq", "entry_hash", "signed_at", "key_id", "signature"],
        ["signing_keys"] = ["tenant_id", "key_id", "public_key", "created_at"],
        ["agents"] =
        [
            "tenant_id", "workflow", "node_id", "agent_id", "did", "public_key", "capabilities", "created_at", "revoked_at", "revoked_reason",
        ],
        ["tenant_policies"] = ["tenant_id", "policy", "updated_at"],
        ["hitl_pauses"] =
        [
            "tenant_id", "run_id", "pause_seq", "workflow", "node_id", "step_id", "stage", "reason", "block_reason", "tier", "context", "created_at",
            "expires_at", "on_timeout", "timeout_seconds", "webhook_url", "escalate_to", "escalated", "state", "reviewer_id", "notes", "decided_at",
            "decision_seq", "event_seq",
        ],
        ["webhook_outbox"] =
        [
            "id", "tenant_id", "run_id", "type", "url", "body", "created_at", "next_attempt_at", "deadline", "attempts", "state", "claimed_until",
        ],
        ["webhook_attempts"] = ["message_id", "attempt", "tenant_id", "run_id", "at", "status_code", "outcome", "error", "duration_ms"],
        ["webhook_disabled_endpoints"] = ["tenant_id", "url", "disabled_at"],
        ["leases"] = ["name", "holder", "expires_at"],
        ["vector_collections"] = ["tenant_id", "id", "name", "dimensions", "embedding_model", "version", "created_at"],
        ["vector_entries"] =
        [
            "tenant_id", "collection_id", "key", "version", "deleted", "document_id", "run_id", "scope", "text", "source", "position", "metadata",
            "embedding_model", "created_at", "last_used_at", "use_count", "vector",
        ],
    };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_version_1_database_is_migrated_to_the_latest_schema_and_its_rows_read_back()
    {
        var connectionString = await postgres.CreateDatabaseAsync("ledger_v1", Token);
        var run = "run-" + Guid.NewGuid().ToString("N");
        var chain = LedgerRecordFactory.Chain(Tenant, run, 3);
        var head = new LedgerHead(Tenant, run, 3, chain[^1].EntryHash, LedgerRecordFactory.Epoch, "k1", "c2lnbmF0dXJl");
        await using (var old = new PostgresLedgerStore(connectionString))
        {
            await old.MigrateAsync(1, Token);
        }

        Assert.Equal([1], await Sql.ListAsync<int>(connectionString, "SELECT version FROM schema_migrations"));
        Assert.DoesNotContain("redacted", await ColumnsAsync(connectionString, "ledger_records"));

        // Rows as the version-1 code wrote them: payloads as plain UTF-8, no compression or redaction flags.
        foreach (var record in chain)
        {
            await InsertVersion1RecordAsync(connectionString, record);
        }

        await Sql.ExecuteAsync(connectionString,
            "INSERT INTO runs VALUES ($1, $2, 'review', 'running', 3, $3, $4)",
            Tenant, run, chain[0].Timestamp.ToUnixTimeMilliseconds(), chain[^1].Timestamp.ToUnixTimeMilliseconds());
        await Sql.ExecuteAsync(connectionString, "INSERT INTO checkpoints VALUES ($1, $2, 3, '{\"at\":3}', 0)", Tenant, run);
        await Sql.ExecuteAsync(connectionString, "INSERT INTO run_heads VALUES ($1, $2, 3, $3, $4, 'k1', 'c2lnbmF0dXJl')",
            Tenant, run, head.EntryHash, head.SignedAt.ToUnixTimeMilliseconds());
        await Sql.ExecuteAsync(connectionString, "INSERT INTO signing_keys VALUES ($1, 'k1', $2, 0)", Tenant, new byte[] { 1, 2, 3 });

        await using var store = new PostgresLedgerStore(connectionString);
        await store.MigrateAsync(Token);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9], await Sql.ListAsync<int>(connectionString, "SELECT version FROM schema_migrations ORDER BY version"));
        Assert.Equal(["ix_runs_created", "ix_runs_status_created"], await Sql.ListAsync<string>(connectionString,
            "SELECT indexname::text FROM pg_indexes WHERE tablename = 'runs' AND indexname LIKE 'ix%' ORDER BY indexname"));
        Assert.Equal(["ix_ledger_records_spend", "ix_ledger_records_step"], await Sql.ListAsync<string>(connectionString,
            "SELECT indexname::text FROM pg_indexes WHERE tablename = 'ledger_records' AND indexname LIKE 'ix%' ORDER BY indexname"));
        Assert.Equal(["ix_hitl_pauses_expiry", "ix_hitl_pauses_pending", "ix_webhook_attempts_run", "ix_webhook_outbox_due", "ix_webhook_outbox_run"],
            await Sql.ListAsync<string>(connectionString,
                "SELECT indexname::text FROM pg_indexes WHERE indexname LIKE 'ix_hitl%' OR indexname LIKE 'ix_webhook%' ORDER BY indexname COLLATE \"C\""));
        foreach (var (table, columns) in FinalColumns)
        {
            Assert.Equal(columns.Order(StringComparer.Ordinal), await ColumnsAsync(connectionString, table));
        }

        Assert.Equal(chain, await store.ReadRecordsAsync(Tenant, run, Token));
        Assert.Equal(chain[1], await store.ReadStepRecordAsync(Tenant, run, chain[1].StepId!, Token));
        Assert.Equal(new LedgerRunSummary(Tenant, run, "review", "running", 3, chain[0].Timestamp, chain[^1].Timestamp)
            { Totals = LedgerRunTotals.From(chain) },
            await store.ReadRunAsync(Tenant, run, Token));
        Assert.Equal(new LedgerCheckpoint(Tenant, run, 3, """{"at":3}"""), await store.LoadCheckpointAsync(Tenant, run, Token));
        Assert.Equal(head, await store.ReadHeadAsync(Tenant, run, Token));
        Assert.Equal([1, 2, 3], (await store.ReadPublicKeysAsync(Tenant, Token))["k1"]);

        // The migrated chain goes on, and is append-only like a new one.
        var next = LedgerRecordFactory.Step(Tenant, run, chain[^1]);
        Assert.Equal(AppendOutcome.Appended, await store.AppendAsync(next, null, Token));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Sql.ExecuteAsync(connectionString, "DELETE FROM ledger_records"));
    }

    [Fact]
    public async Task Two_stores_migrating_one_new_database_at_once_both_succeed_and_record_each_version_once()
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var connectionString = await postgres.CreateDatabaseAsync("ledger_race", Token);
            await using var first = new PostgresLedgerStore(connectionString);
            await using var second = new PostgresLedgerStore(connectionString);
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var migrations = new[] { first, second }
                .Select(store => Task.Run(async () =>
                {
                    await go.Task;
                    await store.MigrateAsync(Token);
                }, Token))
                .ToArray();
            go.SetResult();
            await Task.WhenAll(migrations).WaitAsync(TestTimeouts.Default, Token);

            Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9], await Sql.ListAsync<int>(connectionString, "SELECT version FROM schema_migrations ORDER BY version"));
            Assert.Equal(2L, await Sql.ScalarAsync<long>(connectionString,
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'ledger_records'::regclass AND NOT tgisinternal"));

            var run = "run-" + Guid.NewGuid().ToString("N");
            Assert.Equal(AppendOutcome.Appended, await first.AppendAsync(LedgerRecordFactory.RunStart(Tenant, run), null, Token));
            Assert.Single(await second.ReadRecordsAsync(Tenant, run, Token));
        }
    }

    [Fact]
    public async Task Migrating_an_up_to_date_database_changes_nothing()
    {
        var connectionString = await postgres.CreateDatabaseAsync("ledger_again", Token);
        await using var store = new PostgresLedgerStore(connectionString);
        await store.MigrateAsync(Token);
        var applied = await Sql.ListAsync<DateTime>(connectionString, "SELECT applied_at FROM schema_migrations ORDER BY version");

        await store.MigrateAsync(Token);
        await store.MigrateAsync(2, Token);

        Assert.Equal(applied, await Sql.ListAsync<DateTime>(connectionString, "SELECT applied_at FROM schema_migrations ORDER BY version"));
    }

    private static Task<List<string>> ColumnsAsync(string connectionString, string table) =>
        Sql.ListAsync<string>(connectionString,
            "SELECT column_name::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY column_name::text COLLATE \"C\"",
            table);

    private static Task<int> InsertVersion1RecordAsync(string connectionString, LedgerRecord r) =>
        Sql.ExecuteAsync(connectionString, """
            INSERT INTO ledger_records (tenant_id, run_id, seq, format_version, prev_hash, ts, kind, node_id, agent_id, step_id,
                verdict, block_reason, tokens_input, tokens_output, tokens_estimated, cost_usd, duration_ms, uncertainty,
                signing_key_id, payload_hash, entry_hash, payload)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
            """,
            r.TenantId, r.RunId, r.Seq, r.FormatVersion, r.PrevHash, r.Timestamp.ToUnixTimeMilliseconds(), r.Kind,
            Nullable(r.NodeId), Nullable(r.AgentId), Nullable(r.StepId), Nullable(r.Verdict), Nullable(r.BlockReason),
            r.TokensInput, r.TokensOutput, r.TokensEstimated, r.CostUsd, r.DurationMs, r.Uncertainty is { } u ? u : DBNull.Value,
            r.SigningKeyId, r.PayloadHash, r.EntryHash, System.Text.Encoding.UTF8.GetBytes(r.Payload));

    private static object Nullable(string? value) => (object?)value ?? DBNull.Value;
}
