using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace MeshFlow.AppHost.Infrastructure.Redis;

/// <summary>Healthy when the server accepts the password and answers <c>PING</c>.</summary>
public sealed class LocalRedisHealthCheck(LocalRedisResource redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connectionString = await redis.ConnectionStringExpression.GetValueAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The '{redis.Name}' connection string is not available yet.");

            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = true;
            options.ConnectTimeout = 5000;
            options.ConnectRetry = 0;

            var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is RedisException or InvalidOperationException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, e.Message, e);
        }
    }
}
