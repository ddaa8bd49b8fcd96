using StackExchange.Redis;

namespace MeshFlow.Distributed.Tests.Support;

/// <summary>The multiplexers a test opened (one per simulated process), closed when the test ends.</summary>
internal sealed class RedisConnections : IAsyncDisposable
{
    private readonly List<ConnectionMultiplexer> _open = [];

    public async Task<IConnectionMultiplexer> ConnectAsync(string connectionString, Action<ConfigurationOptions>? configure = null)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        configure?.Invoke(options);
        var connection = await ConnectionMultiplexer.ConnectAsync(options);
        lock (_open)
        {
            _open.Add(connection);
        }

        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        ConnectionMultiplexer[] open;
        lock (_open)
        {
            open = [.. _open];
            _open.Clear();
        }

        foreach (var connection in open)
        {
            await connection.DisposeAsync();
        }
    }
}
