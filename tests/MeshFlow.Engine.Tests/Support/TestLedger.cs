using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;

namespace MeshFlow.Tests.Support;

/// <summary>A real audit ledger on a migrated SQLite file in a temp folder of its own, removed on dispose.</summary>
internal sealed class TestLedger : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Ed25519LedgerSigner _signer;

    private TestLedger(string directory, Ed25519LedgerSigner signer, ILedgerStore store)
    {
        _directory = directory;
        _signer = signer;
        Store = store;
        Ledger = new AuditLedger(store, signer);
    }

    public ILedgerStore Store { get; }

    /// <summary>The folder that holds the ledger's files (the database, its write-ahead log).</summary>
    public string Directory => _directory;

    public AuditLedger Ledger { get; }

    public static async Task<TestLedger> OpenSqliteAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "meshflow-ledger-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return new TestLedger(directory, Ed25519LedgerSigner.Create(), await TestStores.OpenSqliteAsync(Path.Combine(directory, "ledger.db")));
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _signer.Dispose();
        System.IO.Directory.Delete(_directory, recursive: true);
    }
}
