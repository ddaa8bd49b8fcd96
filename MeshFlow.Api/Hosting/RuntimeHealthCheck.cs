using MeshFlow.Ledger;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace MeshFlow.Api.Hosting;

/// <summary>
/// The API is healthy when its ledger answers a read and, in distributed mode, Redis answers a PING: without them it
/// can neither start runs nor stream them.
/// </summary>
public sealed class RuntimeHealthCheck(ILedgerStore ledger, IConnectionMultiplexer? redis = null) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await ledger.ReadRunAsync("health", "probe", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"the ledger does not answer: {ex.Message}");
        }

        if (redis is not null)
        {
            try
            {
                await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"redis does not answer: {ex.Message}");
            }
        }

        return HealthCheckResult.Healthy();
    }
}
