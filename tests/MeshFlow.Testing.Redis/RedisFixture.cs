using Xunit;

namespace MeshFlow.Testing.Redis;

/// <summary>
/// One <see cref="RedisServer"/> shared by a test class (<c>IClassFixture&lt;RedisFixture&gt;</c>), a collection or a
/// whole assembly (<c>[assembly: AssemblyFixture(typeof(RedisFixture))]</c>). Tests sharing it keep to keys of their
/// own (a prefix, tenant or run id per test); a test that restarts or kills a server starts its own.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    /// <summary>The running server.</summary>
    public RedisServer Server => _server ?? throw new InvalidOperationException("The Redis fixture has not been initialized yet.");

    /// <summary>StackExchange.Redis configuration string for the server, such as <c>127.0.0.1:40123</c>.</summary>
    public string ConnectionString => Server.ConnectionString;

    public async ValueTask InitializeAsync() =>
        _server = await RedisServer.StartAsync(TestContext.Current.CancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
