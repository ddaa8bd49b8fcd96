using MeshFlow.Distributed.Redis;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Runtime;
using MeshFlow.Testing.Redis;
using MeshFlow.Tests.Runtime.Contract;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>The run signals contract against Redis: the API and the worker on multiplexers of their own.</summary>
public sealed class RedisRunSignalsContractTests(RedisFixture redis) : RunSignalsContractTests
{
    private readonly string _prefix = RedisTestOptions.NewPrefix();
    private readonly RedisConnections _connections = new();
    private readonly List<RedisRunSignals> _signals = [];

    protected override Task<IRunSignals> CreateSignalsAsync() => ConnectAnotherAsync();

    protected override async Task<IRunSignals> ConnectAnotherAsync()
    {
        var signals = new RedisRunSignals(await _connections.ConnectAsync(redis.ConnectionString), _prefix);
        _signals.Add(signals);
        return signals;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var signals in _signals)
        {
            await signals.DisposeAsync();
        }

        await _connections.DisposeAsync();
        await base.DisposeAsync();
    }
}
