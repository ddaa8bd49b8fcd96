using MeshFlow.Distributed.Ledger.Postgres;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Ledger;
using MeshFlow.Testing.Postgres;
using MeshFlow.Tests.Ledger.Contract;
using Npgsql;

namespace MeshFlow.Distributed.Tests.Ledger.Postgres;

/// <summary>The database itself keeps ledger records append-only: a psql prompt is not a way around the ledger.</summary>
public sealed class PostgresLedgerAppendOnlyTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Tenant = "acme";

    private string _connectionString = null!;
    private PostgresLedgerStore _store = null!;
    private string _run = null!;
    private List<LedgerRecord> _chain = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("ledger_guard", Token);
        _store = new PostgresLedgerStore(_connectionString);
        await _store.MigrateAsync(Token);
        _run = "run-" + Guid.NewGuid().ToString("N");
        _chain = LedgerRecordFactory.Chain(Tenant, _run, 4);
        foreach (var record in _chain)
        {
            await _store.AppendAsync(record, null, Token);
        }
    }

    public async ValueTask DisposeAsync() => await _store.DisposeAsync();

    [Theory]
    [InlineData("UPDATE ledger_records SET payload = convert_to('{\"output\":\"rewritten\"}', 'UTF8')")]
    [InlineData("UPDATE ledger_records SET verdict = 'blocked' WHERE seq = 2")]
    [InlineData("UPDATE ledger_records SET entry_hash = 'forged', prev_hash = 'forged'")]
    [InlineData("UPDATE ledger_records SET redacted = true")]
    [InlineData("DELETE FROM ledger_records")]
    [InlineData("DELETE FROM ledger_records WHERE seq = 4")]
    [InlineData("TRUNCATE ledger_records")]
    public async Task The_database_refuses_to_change_or_remove_a_record(string sql)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(_connectionString, sql));
        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);

        Assert.Equal(_chain, await _store.ReadRecordsAsync(Tenant, _run, Token));
    }

    [Fact]
    public async Task Even_an_erasure_may_change_only_the_payload_columns()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Token);
        await using (var transaction = await connection.BeginTransactionAsync(Token))
        {
            await ExecuteAsync(connection, "SELECT set_config('meshflow.erasure', 'on', true)");
            var refused = await Assert.ThrowsAsync<PostgresException>(
                () => ExecuteAsync(connection, "UPDATE ledger_records SET payload = '\\x7b7d', redacted = true, verdict = 'blocked' WHERE seq = 2"));
            Assert.Contains("only payload", refused.MessageText, StringComparison.Ordinal);
        }

        await using (var transaction = await connection.BeginTransactionAsync(Token))
        {
            await ExecuteAsync(connection, "SELECT set_config('meshflow.erasure', 'on', true)");
            Assert.Equal(1, await ExecuteAsync(connection, "UPDATE ledger_records SET payload = '\\x7b7d', redacted = true WHERE seq = 2"));
            await transaction.RollbackAsync(Token);
        }

        // The erasure flag lived only as long as its transaction, even on the same session.
        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, "UPDATE ledger_records SET redacted = true WHERE seq = 2"));
        Assert.Equal(_chain, await _store.ReadRecordsAsync(Tenant, _run, Token));
    }

    [Fact]
    public async Task Redaction_through_the_store_is_the_one_change_allowed()
    {
        const string Notice = """{"reason":"gdpr erasure","redacted":true}""";
        Assert.Equal(2, await _store.RedactAsync(Tenant, _run, [2, 3], Notice, Token));

        Assert.Equal(
            _chain.Select(r => r.Seq is 2 or 3 ? r with { Payload = Notice, Redacted = true } : r),
            await _store.ReadRecordsAsync(Tenant, _run, Token));
        await Assert.ThrowsAsync<PostgresException>(
            () => Sql.ExecuteAsync(_connectionString, "UPDATE ledger_records SET payload = '\\x7b7d' WHERE seq = 4"));
    }

    [Fact]
    public async Task A_1_MB_payload_is_stored_compressed_and_a_small_one_is_not()
    {
        var big = LedgerRecordFactory.Step(Tenant, _run, _chain[^1], new string('x', 512 * 1024) + "条款🙂" + new string('y', 512 * 1024));
        await _store.AppendAsync(big, null, Token);

        var stored = await Sql.ListAsync<bool>(_connectionString,
            "SELECT payload_compressed FROM ledger_records WHERE tenant_id = $1 AND run_id = $2 ORDER BY seq", Tenant, _run);
        Assert.Equal([false, false, false, false, true], stored);
        var bytes = await Sql.ScalarAsync<int>(_connectionString,
            "SELECT octet_length(payload) FROM ledger_records WHERE tenant_id = $1 AND run_id = $2 AND seq = $3", Tenant, _run, big.Seq);
        Assert.InRange(bytes, 1, 64 * 1024);
        Assert.Equal(big, await _store.ReadLastRecordAsync(Tenant, _run, Token));
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(Token);
    }
}
