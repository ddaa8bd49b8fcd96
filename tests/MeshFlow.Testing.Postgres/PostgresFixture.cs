using Xunit;

namespace MeshFlow.Testing.Postgres;

/// <summary>
/// One <see cref="PostgresServer"/> shared by a test class (<c>IClassFixture&lt;PostgresFixture&gt;</c>), a collection
/// (<c>ICollectionFixture&lt;PostgresFixture&gt;</c>) or a whole assembly
/// (<c>[assembly: AssemblyFixture(typeof(PostgresFixture))]</c>). Give each test its own database with
/// <see cref="CreateDatabaseAsync"/> so tests stay isolated while sharing the server.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    /// <summary>The running server.</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture has not been initialized yet.");

    /// <summary>Connection string to the server's <c>postgres</c> database.</summary>
    public string ConnectionString => Server.ConnectionString;

    /// <summary>Creates a fresh database (named <c>&lt;prefix&gt;_&lt;guid&gt;</c>) and returns a connection string to it.</summary>
    public Task<string> CreateDatabaseAsync(string prefix = "test", CancellationToken ct = default) =>
        Server.CreateDatabaseAsync(prefix + "_" + Guid.NewGuid().ToString("N"), ct);

    public async ValueTask InitializeAsync() =>
        _server = await PostgresServer.StartAsync(TestContext.Current.CancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
