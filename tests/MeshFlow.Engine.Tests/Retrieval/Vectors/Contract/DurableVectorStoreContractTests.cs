using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;
using MeshFlow.Retrieval.Vectors;
using Microsoft.Extensions.VectorData;

namespace MeshFlow.Tests.Retrieval.Vectors.Contract;

/// <summary>
/// What <see cref="LedgerVectorStore"/> must do over each ledger store on top of the vector store contract: share
/// writes and deletes between store instances (workers) over one database, erase a run's and a tenant's vectors from
/// the tables, and migrate idempotently.
/// </summary>
public abstract class DurableVectorStoreContractTests : VectorStoreContractTests
{
    private readonly Ed25519LedgerSigner _signer = Ed25519LedgerSigner.Create();
    private readonly List<ILedgerStore> _stores = [];

    /// <summary>A vector entry row as stored: its key, its text and whether it still has a vector.</summary>
    protected sealed record StoredRow(string Key, string? Text, bool HasVector);

    /// <summary>The ledger store under <see cref="VectorStoreContractTests.Store"/>.</summary>
    protected ILedgerStore LedgerStore { get; private set; } = null!;

    /// <summary>Creates a fresh, migrated ledger store with its own database.</summary>
    protected abstract Task<ILedgerStore> CreateLedgerStoreAsync();

    /// <summary>Opens another store instance over the same database, as another worker would.</summary>
    protected abstract Task<ILedgerStore> OpenSameDatabaseAsync();

    /// <summary>The tenant's vector entry rows, read from the table with SQL.</summary>
    protected abstract Task<IReadOnlyList<StoredRow>> StoredRowsAsync(string tenantId);

    /// <summary>How many vector collection rows the tenant has, read with SQL.</summary>
    protected abstract Task<long> StoredCollectionsAsync(string tenantId);

    /// <summary>Forgets that migration 9 was applied and migrates again.</summary>
    protected abstract Task RerunVectorMigrationAsync();

    protected override async Task<VectorStore> CreateStoreAsync()
    {
        LedgerStore = await CreateLedgerStoreAsync();
        _stores.Add(LedgerStore);
        return new LedgerVectorStore((IVectorEntryStore)LedgerStore);
    }

    /// <summary>Another worker's vector store over the same database.</summary>
    protected async Task<LedgerVectorStore> OpenWorkerAsync()
    {
        var store = await OpenSameDatabaseAsync();
        _stores.Add(store);
        return new LedgerVectorStore((IVectorEntryStore)store);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        _signer.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Two_workers_over_one_database_see_each_others_writes_and_deletes()
    {
        var tenant = NewTenant();
        var name = VectorCollectionNames.Knowledge(tenant, "shared");
        using var other = await OpenWorkerAsync();
        var mine = Collection(name);
        var theirs = Collection(name, store: other);
        await mine.UpsertAsync([Entry(tenant, "a", [1, 0, 0, 0]), Entry(tenant, "b", [0, 1, 0, 0])], Token);

        // The other worker loads the collection, then follows each change.
        Assert.Equal(["a", "b"], (await SearchAsync(theirs, [1, 0.5f, 0, 0], 10)).Select(r => r.Record.Key));
        await mine.UpsertAsync(Entry(tenant, "c", [1, 0.1f, 0, 0]), Token);
        await mine.DeleteAsync("a", Token);
        Assert.Equal(["c", "b"], (await SearchAsync(theirs, [1, 0.5f, 0, 0], 10)).Select(r => r.Record.Key));

        // And the other way round.
        await theirs.UpsertAsync(Entry(tenant, "b", [0, 0, 1, 0], text: "rewritten"), Token);
        var b = await mine.GetAsync("b", cancellationToken: Token);
        Assert.Equal("rewritten", b!.Text);

        // A collection deleted and made anew elsewhere is not served from the old cache.
        await other.EnsureCollectionDeletedAsync(name, Token);
        await theirs.UpsertAsync(Entry(tenant, "z", [0, 0, 0, 1], model: "another-model"), Token);
        Assert.Equal(["z"], (await SearchAsync(mine, [1, 1, 1, 1], 10)).Select(r => r.Record.Key));
    }

    [Fact]
    public async Task A_model_written_by_one_worker_is_refused_to_another()
    {
        var tenant = NewTenant();
        var name = VectorCollectionNames.Memory(tenant);
        using var other = await OpenWorkerAsync();
        await Collection(name).UpsertAsync(Entry(tenant, "a", [1, 0, 0, 0], model: "all-MiniLM-L6-v2"), Token);

        await Assert.ThrowsAsync<VectorModelMismatchException>(() =>
            Collection(name, store: other).UpsertAsync(Entry(tenant, "b", [1, 0, 0, 0], model: "nomic-embed-text"), Token));
    }

    [Fact]
    public async Task Erasing_a_run_deletes_its_vectors_from_the_tables_and_every_cache()
    {
        var tenant = NewTenant();
        var (erased, kept) = ("run-" + Guid.NewGuid().ToString("N"), "run-" + Guid.NewGuid().ToString("N"));
        var ledger = new AuditLedger(LedgerStore, _signer);
        await StartRunAsync(ledger, tenant, erased);
        using var other = await OpenWorkerAsync();
        var memory = Collection(VectorCollectionNames.Memory(tenant));
        var docs = Collection(VectorCollectionNames.Knowledge(tenant, "docs"));
        await memory.UpsertAsync([Entry(tenant, "m1", [1, 0, 0, 0], run: erased, text: "patient Jane Roe"), Entry(tenant, "m2", [0, 1, 0, 0], run: kept)], Token);
        await docs.UpsertAsync(Entry(tenant, "d1", [1, 0, 0, 0], run: erased, text: "MRN 12345"), Token);
        var cached = Collection(VectorCollectionNames.Memory(tenant), store: other);
        Assert.Equal(2, (await SearchAsync(cached, [1, 1, 0, 0], 10)).Count);

        await ledger.EraseAsync(tenant, erased, null, "erasure request", Token);

        var rows = await StoredRowsAsync(tenant);
        Assert.DoesNotContain(rows, r => r.Text is not null && (r.Text.Contains("Jane Roe", StringComparison.Ordinal) || r.Text.Contains("12345", StringComparison.Ordinal)));
        Assert.Equal(["m2"], rows.Where(r => r.HasVector).Select(r => r.Key));
        Assert.Equal(["m2"], (await SearchAsync(cached, [1, 1, 0, 0], 10)).Select(r => r.Record.Key));
        Assert.Empty(await SearchAsync(Collection(VectorCollectionNames.Knowledge(tenant, "docs"), store: other), [1, 0, 0, 0], 10));
        Assert.True((await ledger.VerifyAsync(tenant, erased, Token)).Valid);
    }

    [Fact]
    public async Task Erasing_some_records_of_a_run_keeps_its_vectors()
    {
        var tenant = NewTenant();
        var run = "run-" + Guid.NewGuid().ToString("N");
        var ledger = new AuditLedger(LedgerStore, _signer);
        await StartRunAsync(ledger, tenant, run);
        await Collection(VectorCollectionNames.Memory(tenant)).UpsertAsync(Entry(tenant, "m1", [1, 0, 0, 0], run: run), Token);

        await ledger.EraseAsync(tenant, run, [1], "erasure of one record", Token);

        Assert.Equal(["m1"], (await StoredRowsAsync(tenant)).Where(r => r.HasVector).Select(r => r.Key));
    }

    [Fact]
    public async Task Erasing_a_tenant_deletes_all_its_collections_and_entries_and_no_one_elses()
    {
        var (tenant, neighbour) = (NewTenant(), NewTenant());
        var run = "run-" + Guid.NewGuid().ToString("N");
        var ledger = new AuditLedger(LedgerStore, _signer);
        await StartRunAsync(ledger, tenant, run);
        using var other = await OpenWorkerAsync();
        await Collection(VectorCollectionNames.Memory(tenant)).UpsertAsync(Entry(tenant, "m1", [1, 0, 0, 0], text: "the tenant's memory"), Token);
        await Collection(VectorCollectionNames.Knowledge(tenant, "docs")).UpsertAsync(Entry(tenant, "d1", [0, 1, 0, 0]), Token);
        await Collection(VectorCollectionNames.Knowledge(neighbour, "docs")).UpsertAsync(Entry(neighbour, "n1", [0, 1, 0, 0]), Token);
        var cached = Collection(VectorCollectionNames.Memory(tenant), store: other);
        Assert.Single(await SearchAsync(cached, [1, 0, 0, 0], 10));

        var redacted = await ledger.EraseTenantAsync(tenant, "tenant offboarded", Token);

        Assert.Equal(1, redacted);
        Assert.Empty(await StoredRowsAsync(tenant));
        Assert.Equal(0, await StoredCollectionsAsync(tenant));
        Assert.Empty(await SearchAsync(cached, [1, 0, 0, 0], 10));
        Assert.DoesNotContain(await ListAsync(other.ListCollectionNamesAsync(Token)), n => VectorCollectionNames.TenantOf(n) == tenant);
        Assert.True((await LedgerStore.ReadRecordsAsync(tenant, run, Token)).All(r => r.Redacted));
        Assert.Equal(["n1"], (await StoredRowsAsync(neighbour)).Select(r => r.Key));
    }

    [Fact]
    public async Task The_vector_migration_can_run_again()
    {
        var tenant = NewTenant();
        await Collection(VectorCollectionNames.Memory(tenant)).UpsertAsync(Entry(tenant, "a", [1, 0, 0, 0]), Token);

        await LedgerStore.MigrateAsync(Token);
        await RerunVectorMigrationAsync();

        Assert.Equal(["a"], (await SearchAsync(Collection(VectorCollectionNames.Memory(tenant)), [1, 0, 0, 0], 10)).Select(r => r.Record.Key));
    }

    private static Task<LedgerRecord> StartRunAsync(AuditLedger ledger, string tenant, string run) =>
        ledger.AppendAsync(tenant, run, new LedgerEntry
        {
            Kind = LedgerRecordKinds.RunStart,
            Payload = """{"input":"remember the patient","workflow":"intake"}""",
        }, cancellationToken: Token);
}
