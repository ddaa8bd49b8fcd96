using MeshFlow.Distributed.Ledger.Postgres;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;
using MeshFlow.Testing.Postgres;
using MeshFlow.Tests.Ledger;
using Npgsql;

namespace MeshFlow.Distributed.Tests.Ledger.Postgres;

/// <summary>Chains written under the first schema still verify once the migrations have run.</summary>
public sealed class PostgresLedgerChainMigrationTests(PostgresFixture postgres) : IDisposable
{
    private const string Tenant = "acme";
    private readonly Ed25519LedgerSigner _signer = Ed25519LedgerSigner.Create();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _signer.Dispose();

    [Fact]
    public async Task A_version_1_database_with_a_chain_in_it_is_migrated_and_the_chain_still_verifies()
    {
        var connectionString = await postgres.CreateDatabaseAsync("v1", Token);
        await using (var old = new PostgresLedgerStore(connectionString))
        {
            await old.MigrateAsync(1, Token);
        }

        var chain = TestChain.Build(Tenant, "run-old", 10, _signer);
        await using (var raw = new NpgsqlConnection(connectionString))
        {
            await raw.OpenAsync(Token);
            Assert.Equal([1], await VersionsAsync(raw));
            Assert.DoesNotContain("redacted", await ColumnsAsync(raw));
            foreach (var record in chain)
            {
                await InsertVersion1RowAsync(raw, record);
            }
        }

        await using var store = new PostgresLedgerStore(connectionString);
        await store.MigrateAsync(Token);
        await store.SaveHeadAsync(TestChain.Sign(chain[^1], _signer), Token);
        await store.SavePublicKeyAsync(Tenant, _signer.KeyId, _signer.PublicKey, Token);

        await using (var raw = new NpgsqlConnection(connectionString))
        {
            await raw.OpenAsync(Token);
            Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9], await VersionsAsync(raw));
            var columns = await ColumnsAsync(raw);
            Assert.Contains("payload_compressed", columns);
            Assert.Contains("redacted", columns);
        }

        var verification = await new AuditLedger(store, _signer).VerifyAsync(Tenant, "run-old", Token);
        Assert.True(verification.Valid, verification.Detail);
        Assert.Equal(chain, await store.ReadRecordsAsync(Tenant, "run-old", Token));
    }

    private static async Task<List<int>> VersionsAsync(NpgsqlConnection raw)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations ORDER BY version", raw);
        await using var reader = await command.ExecuteReaderAsync(Token);
        var versions = new List<int>();
        while (await reader.ReadAsync(Token))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task<List<string>> ColumnsAsync(NpgsqlConnection raw)
    {
        await using var command = new NpgsqlCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'ledger_records'", raw);
        await using var reader = await command.ExecuteReaderAsync(Token);
        var columns = new List<string>();
        while (await reader.ReadAsync(Token))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    // A row as the first schema knew it: no payload_compressed, no redacted.
    private static async Task InsertVersion1RowAsync(NpgsqlConnection raw, LedgerRecord r)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO ledger_records (tenant_id, run_id, seq, format_version, prev_hash, ts, kind, node_id, agent_id, step_id,
                verdict, block_reason, tokens_input, tokens_output, tokens_estimated, cost_usd, duration_ms, uncertainty,
                signing_key_id, payload_hash, entry_hash, payload)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
            """, raw);
        object?[] values =
        [
            r.TenantId, r.RunId, r.Seq, r.FormatVersion, r.PrevHash, r.Timestamp.ToUnixTimeMilliseconds(), r.Kind, r.NodeId, r.AgentId,
            r.StepId, r.Verdict, r.BlockReason, r.TokensInput, r.TokensOutput, r.TokensEstimated, r.CostUsd, r.DurationMs, r.Uncertainty,
            r.SigningKeyId, r.PayloadHash, r.EntryHash, System.Text.Encoding.UTF8.GetBytes(r.Payload),
        ];
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        await command.ExecuteNonQueryAsync(Token);
    }
}
