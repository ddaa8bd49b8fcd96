namespace MeshFlow.Ledger.Sqlite;

/// <summary>The SQLite ledger's migrations, in order.</summary>
internal static class SqliteMigrations
{
    /// <summary>Every migration, ordered by version (1, 2, 3, ... without gaps).</summary>
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        new Migration0001FirstTables(),
        new Migration0002PayloadFlags(),
        new Migration0003AppendOnlyTriggers(),
        new Migration0004RunListIndexes(),
        new Migration0005AgentDid(),
        new Migration0006Governance(),
        new Migration0007Approvals(),
        new Migration0008RunTotals(),
        new Migration0009Vectors(),
    ];

    /// <summary>The schema version this build brings a database to.</summary>
    public static int LatestVersion => All[^1].Version;
}
