using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MeshFlow.Ledger.Sqlite;

/// <summary>
/// Migration 8: the run summary's running totals (step count, input and output tokens, cost, and the run_end record
/// they were taken from), backfilled from the records already stored by <see cref="LedgerRunTotals"/>'s rule.
/// </summary>
/// <remarks>
/// Costs are decimal text, as in <c>ledger_records</c>; the backfill adds them up in .NET, since SQLite's own
/// arithmetic would go through floating point.
/// </remarks>
internal sealed class Migration0008RunTotals : SqliteMigration
{
    public override int Version => 8;

    public override string Description => "run totals: steps, tokens, cost";

    public override void Apply(SqliteConnection connection, SqliteTransaction transaction)
    {
        var columns = Columns(connection, transaction, "runs");
        foreach (var (name, definition) in new[]
        {
            ("step_count", "INTEGER NOT NULL DEFAULT 0"),
            ("tokens_input", "INTEGER NOT NULL DEFAULT 0"),
            ("tokens_output", "INTEGER NOT NULL DEFAULT 0"),
            ("cost_usd", "TEXT NOT NULL DEFAULT '0'"),
            ("end_seq", "INTEGER"),
        })
        {
            if (!columns.Contains(name))
            {
                Execute(connection, transaction, $"ALTER TABLE runs ADD COLUMN {name} {definition}");
            }
        }

        var totals = new Dictionary<(string Tenant, string Run), (LedgerRunTotals Totals, long? EndSeq)>();
        using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = """
                SELECT tenant_id, run_id, kind, seq, tokens_input, tokens_output, cost_usd FROM ledger_records
                WHERE kind IN ('step', 'run_end') ORDER BY tenant_id, run_id, seq
                """;
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                var key = (reader.GetString(0), reader.GetString(1));
                var (current, endSeq) = totals.TryGetValue(key, out var known) ? known : (LedgerRunTotals.None, null);
                totals[key] = current.With(reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                    decimal.Parse(reader.GetString(6), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture),
                    endSeq);
            }
        }

        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = """
            UPDATE runs SET step_count = $steps, tokens_input = $in, tokens_output = $out, cost_usd = $cost, end_seq = $end
            WHERE tenant_id = $tenant AND run_id = $run
            """;
        foreach (var ((tenant, run), (sums, endSeq)) in totals)
        {
            update.Parameters.Clear();
            update.Parameters.AddWithValue("$steps", sums.Steps);
            update.Parameters.AddWithValue("$in", sums.TokensInput);
            update.Parameters.AddWithValue("$out", sums.TokensOutput);
            update.Parameters.AddWithValue("$cost", sums.CostUsd.ToString(CultureInfo.InvariantCulture));
            update.Parameters.AddWithValue("$end", (object?)endSeq ?? DBNull.Value);
            update.Parameters.AddWithValue("$tenant", tenant);
            update.Parameters.AddWithValue("$run", run);
            update.ExecuteNonQuery();
        }
    }
}
