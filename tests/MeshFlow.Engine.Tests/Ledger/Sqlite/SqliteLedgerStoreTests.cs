using System.Text;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;
using MeshFlow.Ledger.Sqlite;
using MeshFlow.Tests.Ledger.Contract;
using Microsoft.Data.Sqlite;

namespace MeshFlow.Tests.Ledger.Sqlite;

/// <summary>What only the SQLite store has: its migrations, its file settings, its triggers and its compression.</summary>
public sealed class SqliteLedgerStoreTests : IDisposable
{
    private const string Tenant = "acme";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(
        60 * (int.TryParse(Environment.GetEnvironmentVariable("MESHFLOW_TEST_TIMEOUT_SCALE"), out var scale) && scale > 0 ? scale : 1));

    private static readonly Dictionary<string, string[]> FinalSchema = new()
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
            "block_reason", "tokens_input", "tokens_output", "tokens_estimated", "cost_usd", "duration_ms", "uncertainty", "signing_key_id",
            "payload_hash", "entry_hash", "payload", "payload_compressed", "redacted", "agent_did",
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
        ["vector_collections"] = ["id", "tenant_id", "name", "dimensions", "embedding_model", "version", "created_at"],
        ["vector_entries"] =
        [
            "tenant_id", "collection_id", "key", "version", "deleted", "document_id", "run_id", "scope", "text", "source", "position", "metadata",
            "embedding_model", "created_at", "last_used_at", "use_count", "vector",
        ],
    };

    private readonly SqliteTestDatabase _database = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_version_1_database_is_migrated_to_the_latest_schema_and_its_rows_read_back()
    {
        await using (var old = SqliteLedgerStore.Open(_database.Path))
        {
            await old.MigrateAsync(1, Token);
        }

        var run = "run-v1";
        var start = LedgerRecordFactory.RunStart(Tenant, run);
        var step = LedgerRecordFactory.Step(Tenant, run, start, "written before migration 2");
        using (var raw = _database.OpenRaw())
        {
            Assert.Equal([1L], Versions(raw));
            Assert.DoesNotContain("redacted", Columns(raw, "ledger_records"));
            foreach (var record in new[] { start, step })
            {
                InsertVersion1Row(raw, record);
            }

            SqliteTestDatabase.Execute(raw, $$"""
                INSERT INTO runs VALUES ('{{Tenant}}', '{{run}}', 'review', 'running', 2, {{start.Timestamp.ToUnixTimeMilliseconds()}}, {{step.Timestamp.ToUnixTimeMilliseconds()}});
                INSERT INTO checkpoints VALUES ('{{Tenant}}', '{{run}}', 2, '{"at":2}', 1);
                INSERT INTO run_heads VALUES ('{{Tenant}}', '{{run}}', 2, '{{step.EntryHash}}', {{LedgerRecordFactory.Epoch.ToUnixTimeMilliseconds()}}, 'k1', 'c2ln');
                INSERT INTO signing_keys VALUES ('{{Tenant}}', 'k1', x'0102', 1);
                """);
        }

        await using var store = SqliteLedgerStore.Open(_database.Path);
        await store.MigrateAsync(Token);

        using (var raw = _database.OpenRaw())
        {
            Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L], Versions(raw));
            Assert.All(SqliteTestDatabase.Query(raw, "SELECT applied_at FROM schema_migrations"), row => Assert.True((long)row[0]! > 0));
            foreach (var (table, columns) in FinalSchema)
            {
                Assert.Equal(columns, Columns(raw, table));
            }

            Assert.Single(SqliteTestDatabase.Query(raw, "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'ix_ledger_records_step'"));
            Assert.Single(SqliteTestDatabase.Query(raw, "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'ix_ledger_records_spend'"));
            Assert.Single(SqliteTestDatabase.Query(raw, "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'ux_agents_did'"));
            Assert.Equal(["ix_hitl_pauses_expiry", "ix_hitl_pauses_pending", "ix_webhook_attempts_run", "ix_webhook_outbox_due", "ix_webhook_outbox_run"],
                SqliteTestDatabase.Query(raw, "SELECT name FROM sqlite_master WHERE type = 'index' AND (name LIKE 'ix_hitl%' OR name LIKE 'ix_webhook%') ORDER BY name")
                    .Select(row => (string)row[0]!));
            Assert.Equal(["ix_runs_created", "ix_runs_status_created"], SqliteTestDatabase.Query(raw,
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs' AND name LIKE 'ix%' ORDER BY name").Select(row => (string)row[0]!));
            Assert.Equal(3, SqliteTestDatabase.Query(raw, "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ledger_records'").Count);
            Assert.All(SqliteTestDatabase.Query(raw, "SELECT payload_compressed, redacted FROM ledger_records"),
                row => Assert.Equal([0L, 0L], row));
        }

        Assert.Equal([start, step], await store.ReadRecordsAsync(Tenant, run, Token));
        Assert.Equal(step, await store.ReadStepRecordAsync(Tenant, run, step.StepId!, Token));
        Assert.Equal(new LedgerCheckpoint(Tenant, run, 2, """{"at":2}"""), await store.LoadCheckpointAsync(Tenant, run, Token));
        Assert.Equal(2, (await store.ReadRunAsync(Tenant, run, Token))!.LastSeq);
        Assert.Equal(step.EntryHash, (await store.ReadHeadAsync(Tenant, run, Token))!.EntryHash);
        Assert.Equal([1, 2], (await store.ReadPublicKeysAsync(Tenant, Token))["k1"]);

        // The migrated database takes new records like a new one.
        var next = LedgerRecordFactory.Step(Tenant, run, step, LongText(64_000));
        Assert.Equal(AppendOutcome.Appended, await store.AppendAsync(next, null, Token));
        Assert.Equal(next, await store.ReadLastRecordAsync(Tenant, run, Token));
    }

    [Fact]
    public async Task Chains_written_before_the_migrations_still_verify_after_them()
    {
        await using (var old = SqliteLedgerStore.Open(_database.Path))
        {
            await old.MigrateAsync(1, Token);
        }

        using var signer = Ed25519LedgerSigner.Create();
        var chain = TestChain.Build(Tenant, "run-old-chain", 12, signer);
        var head = TestChain.Sign(chain[^1], signer);
        using (var raw = _database.OpenRaw())
        {
            foreach (var record in chain)
            {
                InsertVersion1Row(raw, record);
            }
        }

        await using var store = SqliteLedgerStore.Open(_database.Path);
        await store.MigrateAsync(Token);
        await store.SaveHeadAsync(head, Token);
        await store.SavePublicKeyAsync(Tenant, signer.KeyId, signer.PublicKey, Token);
        var ledger = new AuditLedger(store, signer);

        var verification = await ledger.VerifyAsync(Tenant, "run-old-chain", Token);

        Assert.True(verification.Valid, verification.Detail);
        Assert.Equal(12, verification.Records);
        Assert.Equal(chain, await store.ReadRecordsAsync(Tenant, "run-old-chain", Token));
    }

    [Fact]
    public async Task A_database_half_migrated_by_hand_is_still_migrated()
    {
        await using (var old = SqliteLedgerStore.Open(_database.Path))
        {
            await old.MigrateAsync(1, Token);
        }

        // Say a crashed tool added one of migration 2's columns without recording it.
        using (var raw = _database.OpenRaw())
        {
            SqliteTestDatabase.Execute(raw, "ALTER TABLE ledger_records ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0");
        }

        await using var store = SqliteLedgerStore.Open(_database.Path);
        await store.MigrateAsync(Token);
        using var check = _database.OpenRaw();
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L], Versions(check));
        Assert.Equal(FinalSchema["ledger_records"].Order(StringComparer.Ordinal), Columns(check, "ledger_records").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Stores_migrating_one_new_file_at_once_all_succeed()
    {
        for (var round = 0; round < 5; round++)
        {
            var path = _database.PathOf($"race-{round}.db");
            var stores = Enumerable.Range(0, 4).Select(_ => SqliteLedgerStore.Open(path)).ToArray();
            try
            {
                using var start = new ManualResetEventSlim();
                var migrations = stores.Select(store => Task.Run(async () =>
                {
                    start.Wait(Timeout, Token);
                    await store.MigrateAsync(Token);
                }, Token)).ToArray();
                start.Set();
                await Task.WhenAll(migrations).WaitAsync(Timeout, Token);

                using (var raw = _database.OpenRaw(path))
                {
                    Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L], Versions(raw));
                    Assert.Equal("wal", SqliteTestDatabase.Query(raw, "PRAGMA journal_mode")[0][0]);
                }

                var run = $"run-{round}";
                var first = LedgerRecordFactory.RunStart(Tenant, run);
                Assert.Equal(AppendOutcome.Appended, await stores[0].AppendAsync(first, null, Token));
                Assert.Equal(AppendOutcome.AlreadyPresent, await stores[3].AppendAsync(first, null, Token));
                Assert.Equal([first], await stores[2].ReadRecordsAsync(Tenant, run, Token));
            }
            finally
            {
                foreach (var store in stores)
                {
                    await store.DisposeAsync();
                }
            }
        }
    }

    [Fact]
    public async Task Writers_through_separate_stores_on_one_file_share_one_chain()
    {
        const int WritersPerStore = 8;
        const int RecordsPerWriter = 40;
        await using var a = SqliteLedgerStore.Open(_database.Path);
        await using var b = SqliteLedgerStore.Open(_database.Path);
        await a.MigrateAsync(Token);
        var run = "run-shared";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(Timeout);

        var writers = new[] { a, b }.SelectMany((store, storeIndex) => Enumerable.Range(0, WritersPerStore).Select(writer => Task.Run(async () =>
        {
            for (var appended = 0; appended < RecordsPerWriter;)
            {
                var last = await store.ReadLastRecordAsync(Tenant, run, timeout.Token);
                var record = LedgerRecordFactory.Step(Tenant, run, last, $"{storeIndex}/{writer}/{appended}", $"s{storeIndex}w{writer}:{appended}");
                try
                {
                    if (await store.AppendAsync(record, null, timeout.Token) == AppendOutcome.Appended)
                    {
                        appended++;
                    }
                }
                catch (LedgerConflictException)
                {
                    // Lost the race: read the tail again.
                }
            }
        }, timeout.Token))).ToArray();
        await Task.WhenAll(writers).WaitAsync(Timeout, Token);

        var records = await b.ReadRecordsAsync(Tenant, run, Token);
        Assert.Equal(Enumerable.Range(1, 2 * WritersPerStore * RecordsPerWriter).Select(i => (long)i), records.Select(r => r.Seq));
        for (var i = 1; i < records.Count; i++)
        {
            Assert.Equal(records[i - 1].EntryHash, records[i].PrevHash);
        }
    }

    [Fact]
    public async Task The_database_refuses_to_change_or_delete_records_but_erasure_still_works()
    {
        await using var store = SqliteLedgerStore.Open(_database.Path);
        await store.MigrateAsync(Token);
        var run = "run-guarded";
        var chain = LedgerRecordFactory.Chain(Tenant, run, 3);
        foreach (var record in chain)
        {
            await store.AppendAsync(record, null, Token);
        }

        using (var raw = _database.OpenRaw())
        {
            string[] refused =
            [
                "UPDATE ledger_records SET kind = 'step' WHERE seq = 1",
                "UPDATE ledger_records SET entry_hash = 'forged' WHERE seq = 2",
                "UPDATE ledger_records SET cost_usd = '0' WHERE seq = 2",
                "UPDATE ledger_records SET agent_did = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' WHERE seq = 2",
                "UPDATE ledger_records SET seq = seq + 100",
                "UPDATE ledger_records SET payload = x'7b7d' WHERE seq = 2",
                "UPDATE ledger_records SET payload_compressed = 1 WHERE seq = 2",
                "DELETE FROM ledger_records WHERE seq = 3",
                "DELETE FROM ledger_records",
            ];
            foreach (var sql in refused)
            {
                var error = Assert.Throws<SqliteException>(() => SqliteTestDatabase.Execute(raw, sql));
                Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal(chain, await store.ReadRecordsAsync(Tenant, run, Token));

        const string Notice = """{"redacted":true}""";
        Assert.Equal(1, await store.RedactAsync(Tenant, run, [2], Notice, Token));
        Assert.Equal(chain[1] with { Payload = Notice, Redacted = true }, (await store.ReadRecordsAsync(Tenant, run, Token))[1]);

        using (var raw = _database.OpenRaw())
        {
            // Once erased, always erased.
            var error = Assert.Throws<SqliteException>(() => SqliteTestDatabase.Execute(raw, "UPDATE ledger_records SET redacted = 0 WHERE seq = 2"));
            Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
            Assert.Throws<SqliteException>(() => SqliteTestDatabase.Execute(raw, "DELETE FROM ledger_records WHERE seq = 2"));
            Assert.Equal(3L, SqliteTestDatabase.Query(raw, "SELECT count(*) FROM ledger_records")[0][0]);
        }
    }

    [Fact]
    public async Task Payloads_over_the_threshold_are_stored_compressed_and_smaller_ones_as_they_are()
    {
        await using var store = SqliteLedgerStore.Open(_database.Path);
        await store.MigrateAsync(Token);
        var run = "run-sizes";
        var start = LedgerRecordFactory.RunStart(Tenant, run);
        await store.AppendAsync(start, null, Token);

        var threshold = ILedgerStore.CompressionThresholdBytes;
        var atThreshold = PayloadOfBytes(threshold);
        var overThreshold = PayloadOfBytes(threshold + 1);
        var megabyte = $$"""{"output":{{LedgerRecordFactory.Quote(LongText(1024 * 1024))}}}""";
        var records = new List<LedgerRecord> { start };
        foreach (var payload in new[] { atThreshold, overThreshold, megabyte })
        {
            var record = LedgerRecordFactory.Rehash(LedgerRecordFactory.Step(Tenant, run, records[^1]) with { Payload = payload });
            await store.AppendAsync(record, null, Token);
            records.Add(record);
        }

        using (var raw = _database.OpenRaw())
        {
            var rows = SqliteTestDatabase.Query(raw, "SELECT seq, payload_compressed, length(payload) FROM ledger_records ORDER BY seq");
            Assert.Equal([2L, 0L, (long)threshold], rows[1]);
            Assert.Equal(1L, rows[2][1]);
            Assert.Equal(1L, rows[3][1]);
            var megabyteBytes = Encoding.UTF8.GetByteCount(megabyte);
            var stored = (long)rows[3][2]!;
            Assert.True(stored < megabyteBytes / 3, $"{megabyteBytes} bytes were stored as {stored}");
        }

        Assert.Equal(records, await store.ReadRecordsAsync(Tenant, run, Token));
        Assert.Equal(AppendOutcome.AlreadyPresent, await store.AppendAsync(records[3] with { }, null, Token));

        // Erasure stores its notice uncompressed.
        await store.RedactAsync(Tenant, run, [4], """{"redacted":true}""", Token);
        using var after = _database.OpenRaw();
        Assert.Equal([0L, 1L], SqliteTestDatabase.Query(after, "SELECT payload_compressed, redacted FROM ledger_records WHERE seq = 4")[0]);
    }

    [Fact]
    public async Task Connections_are_durable_and_wait_for_the_write_lock()
    {
        await using var store = SqliteLedgerStore.Open(_database.PathOf("nested/deeper/ledger.db"));
        await store.MigrateAsync(Token);
        Assert.True(File.Exists(_database.PathOf("nested/deeper/ledger.db")));

        using var connection = await store.OpenConnectionAsync(Token);
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal(2L, Scalar(connection, "PRAGMA synchronous"));
        Assert.Equal((long)SqliteLedgerStore.BusyTimeoutMilliseconds, Scalar(connection, "PRAGMA busy_timeout"));
    }

    [Fact]
    public async Task Tenant_spend_is_read_from_the_partial_index_of_costly_steps_alone()
    {
        await using var store = SqliteLedgerStore.Open(_database.Path);
        await store.MigrateAsync(Token);
        using var connection = await store.OpenConnectionAsync(Token);
        using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + SqliteLedgerStore.SpendSql;
        explain.Parameters.AddWithValue("$tenant", Tenant);
        explain.Parameters.AddWithValue("$since", 0L);

        var plan = new List<string>();
        using (var reader = await explain.ExecuteReaderAsync(Token))
        {
            while (await reader.ReadAsync(Token))
            {
                plan.Add(reader.GetString(3));
            }
        }

        // Covering: the costs come from the index, whose rows are only the step records that cost something.
        Assert.Contains(plan, step => step.Contains("COVERING INDEX ix_ledger_records_spend", StringComparison.Ordinal));
        Assert.Equal(
            "CREATE INDEX ix_ledger_records_spend ON ledger_records (tenant_id, ts, cost_usd) WHERE kind = 'step' AND CAST(cost_usd AS REAL) <> 0",
            SqliteTestDatabase.Query(connection, "SELECT sql FROM sqlite_master WHERE name = 'ix_ledger_records_spend'")[0][0]);
    }

    [Theory]
    [InlineData(false, false, "ix_runs_created")]
    [InlineData(false, true, "ix_runs_created")]
    [InlineData(true, false, "ix_runs_status_created")]
    [InlineData(true, true, "ix_runs_status_created")]
    public async Task Listing_runs_reads_them_in_order_from_an_index(bool byStatus, bool byWorkflow, string index)
    {
        await using var store = SqliteLedgerStore.Open(_database.Path);
        await store.MigrateAsync(Token);
        using var connection = await store.OpenConnectionAsync(Token);
        using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + SqliteLedgerStore.ListRunsSql(byStatus, byWorkflow);
        foreach (var name in new[] { "$tenant", "$from", "$belowAt", "$belowRun", "$take", "$status", "$workflow" })
        {
            explain.Parameters.AddWithValue(name, DBNull.Value);
        }

        var plan = new List<string>();
        using (var reader = await explain.ExecuteReaderAsync(Token))
        {
            while (await reader.ReadAsync(Token))
            {
                plan.Add(reader.GetString(3));
            }
        }

        // The index gives the order, so no sort step: a page reads only the rows it returns.
        Assert.Contains(plan, step => step.Contains($"INDEX {index}", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_database_from_a_newer_build_is_refused()
    {
        await using var store = SqliteLedgerStore.Open(_database.Path);
        await store.MigrateAsync(Token);
        using (var raw = _database.OpenRaw())
        {
            SqliteTestDatabase.Execute(raw, "INSERT INTO schema_migrations VALUES (99, 1)");
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.MigrateAsync(Token));
    }

    [Fact]
    public async Task A_payload_that_utf8_cannot_carry_exactly_is_refused()
    {
        await using var store = SqliteLedgerStore.Open(_database.Path);
        await store.MigrateAsync(Token);
        var record = LedgerRecordFactory.Rehash(LedgerRecordFactory.RunStart(Tenant, "run-bad") with { Payload = "{\"output\":\"\ud800\"}" });
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendAsync(record, null, Token));
        Assert.Equal("record", error.ParamName);
    }

    [Fact]
    public async Task A_disposed_store_refuses_work()
    {
        var store = SqliteLedgerStore.Open(_database.Path);
        await store.MigrateAsync(Token);
        await store.DisposeAsync();
        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ReadRecordsAsync(Tenant, "run", Token));
    }

    [Fact]
    public void A_connection_string_without_a_file_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new SqliteLedgerStore("Data Source=:memory:"));
        Assert.Throws<ArgumentException>(() => new SqliteLedgerStore("Data Source=x.db;Mode=Memory"));
        Assert.Throws<ArgumentException>(() => new SqliteLedgerStore("Pooling=True"));
        Assert.Throws<ArgumentException>(() => new SqliteLedgerStore("Bogus Key=1"));
        Assert.ThrowsAny<ArgumentException>(() => new SqliteLedgerStore(""));
    }

    private static string PayloadOfBytes(int bytes)
    {
        const string Prefix = "{\"output\":\"";
        const string Suffix = "\"}";
        return Prefix + new string('x', bytes - Prefix.Length - Suffix.Length) + Suffix;
    }

    private static string LongText(int chars)
    {
        string[] words = ["the", "clause", "liability", "shall", "not", "exceed", "fees", "naïve", "条款", "🙂"];
        var random = new Random(7);
        var text = new StringBuilder(chars + 16);
        while (text.Length < chars)
        {
            text.Append(words[random.Next(words.Length)]).Append(' ');
        }

        return text.ToString(0, char.IsHighSurrogate(text[chars - 1]) ? chars - 1 : chars);
    }

    private static void InsertVersion1Row(SqliteConnection raw, LedgerRecord record)
    {
        using var command = raw.CreateCommand();
        command.CommandText = """
            INSERT INTO ledger_records (tenant_id, run_id, seq, format_version, prev_hash, ts, kind, node_id, agent_id, step_id, verdict,
                block_reason, tokens_input, tokens_output, tokens_estimated, cost_usd, duration_ms, uncertainty, signing_key_id, payload_hash,
                entry_hash, payload)
            VALUES ($tenant, $run, $seq, $format, $prev, $ts, $kind, $node, $agent, $step, $verdict, $block, $in, $out, $estimated, $cost,
                $duration, $uncertainty, $key, $payloadHash, $entryHash, $payload)
            """;
        var p = command.Parameters;
        p.AddWithValue("$tenant", record.TenantId);
        p.AddWithValue("$run", record.RunId);
        p.AddWithValue("$seq", record.Seq);
        p.AddWithValue("$format", record.FormatVersion);
        p.AddWithValue("$prev", record.PrevHash);
        p.AddWithValue("$ts", record.Timestamp.ToUnixTimeMilliseconds());
        p.AddWithValue("$kind", record.Kind);
        p.AddWithValue("$node", (object?)record.NodeId ?? DBNull.Value);
        p.AddWithValue("$agent", (object?)record.AgentId ?? DBNull.Value);
        p.AddWithValue("$step", (object?)record.StepId ?? DBNull.Value);
        p.AddWithValue("$verdict", (object?)record.Verdict ?? DBNull.Value);
        p.AddWithValue("$block", (object?)record.BlockReason ?? DBNull.Value);
        p.AddWithValue("$in", record.TokensInput);
        p.AddWithValue("$out", record.TokensOutput);
        p.AddWithValue("$estimated", record.TokensEstimated ? 1 : 0);
        p.AddWithValue("$cost", record.CostUsd.ToString(System.Globalization.CultureInfo.InvariantCulture));
        p.AddWithValue("$duration", record.DurationMs);
        p.AddWithValue("$uncertainty", record.Uncertainty is { } u ? u : DBNull.Value);
        p.AddWithValue("$key", record.SigningKeyId);
        p.AddWithValue("$payloadHash", record.PayloadHash);
        p.AddWithValue("$entryHash", record.EntryHash);
        p.AddWithValue("$payload", Encoding.UTF8.GetBytes(record.Payload));
        command.ExecuteNonQuery();
    }

    private static List<long> Versions(SqliteConnection raw) =>
        SqliteTestDatabase.Query(raw, "SELECT version FROM schema_migrations ORDER BY version").Select(row => (long)row[0]!).ToList();

    private static List<string> Columns(SqliteConnection raw, string table) =>
        SqliteTestDatabase.Query(raw, $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid").Select(row => (string)row[0]!).ToList();

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
